namespace Norton.Models.Serialization;

/// <summary>
/// A pickle, <c>torch.save</c>, numpy or safetensors file that cannot be read: truncated, corrupt (a CRC-32 that does
/// not match), over a size limit, or holding something the reader does not rebuild. The message names the file (or
/// stream), what was expected and what was found; every reader of this namespace fails with this type only. (The older
/// numpy/pickle entry points of <c>Norton.Models.Data</c> keep throwing <see cref="InvalidDataException"/>, with this as
/// the inner exception.)
/// </summary>
public sealed class SerializedDataException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file or stream, for the message.</param>
    /// <param name="problem">What is wrong, in words.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public SerializedDataException(string source, string problem, Exception? inner = null)
        : base($"{source}: {problem}", inner)
    {
        SourceName = source;
        Problem = problem;
    }

    /// <summary>The file or stream that failed to read.</summary>
    public string SourceName { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
