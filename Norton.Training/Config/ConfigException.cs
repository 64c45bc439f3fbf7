namespace Norton.Training.Config;

/// <summary>A config file that cannot be used: the message names the file, the key's path and what is wrong.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigException(string file, string? keyPath, string message, Exception? inner = null)
        : base(keyPath is null ? $"{file}: {message}" : $"{file}: '{keyPath}': {message}", inner)
    {
        File = file;
        KeyPath = keyPath;
    }

    /// <summary>The config file.</summary>
    public string File { get; }

    /// <summary>The dotted path of the offending key (e.g. <c>fairseq.optimization.lr</c>), or null.</summary>
    public string? KeyPath { get; }
}
