using System.Globalization;

namespace Norton.Benchmarks;

/// <summary>A minimal <c>--name value</c> / <c>--flag</c> parser for the profile commands; unknown names are errors.</summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>Parses the arguments after the command name.</summary>
    /// <param name="args">Arguments.</param>
    /// <param name="flags">Names that take no value.</param>
    /// <exception cref="ArgumentException">An argument is not <c>--name</c>, or a value is missing.</exception>
    public CommandLine(IReadOnlyList<string> args, params string[] flags)
    {
        for (int k = 0; k < args.Count; k++)
        {
            string a = args[k];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length < 3)
                throw new ArgumentException($"expected --name, got '{a}'", nameof(args));
            string name = a[2..];
            if (flags.Contains(name)) { _values[name] = null; continue; }
            if (k + 1 >= args.Count)
                throw new ArgumentException($"--{name} needs a value", nameof(args));
            _values[name] = args[++k];
        }
    }

    /// <summary>True when the flag was given.</summary>
    public bool Flag(string name)
    {
        _used.Add(name);
        return _values.ContainsKey(name);
    }

    /// <summary>An integer option (at least <paramref name="min"/>), or <paramref name="fallback"/>; null fallback = required.</summary>
    public long Integer(string name, long? fallback = null, long min = 0)
    {
        string? text = Raw(name, fallback?.ToString(CultureInfo.InvariantCulture));
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) || value < min)
            throw new ArgumentException($"--{name} must be an integer >= {min}, got '{text}'");
        return value;
    }

    /// <summary>A positive number option, or <paramref name="fallback"/>.</summary>
    public double Number(string name, double fallback)
    {
        string? text = Raw(name, fallback.ToString("R", CultureInfo.InvariantCulture));
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value > 0) || double.IsInfinity(value))
            throw new ArgumentException($"--{name} must be a positive number, got '{text}'");
        return value;
    }

    /// <summary>One of <paramref name="choices"/> (the first is the default).</summary>
    public string Choice(string name, params string[] choices)
    {
        string text = Raw(name, choices[0])!;
        if (!choices.Contains(text))
            throw new ArgumentException($"--{name} must be one of {string.Join(", ", choices)}, got '{text}'");
        return text;
    }

    /// <summary>A required text option (e.g. a path).</summary>
    public string Text(string name) => Raw(name, null) ?? throw new ArgumentException($"--{name} needs a value");

    /// <summary>Throws if an option was given that no accessor asked for.</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}");
    }

    private string? Raw(string name, string? fallback)
    {
        _used.Add(name);
        if (_values.TryGetValue(name, out string? v)) return v;
        return fallback ?? throw new ArgumentException($"--{name} is required");
    }
}
