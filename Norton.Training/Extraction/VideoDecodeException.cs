namespace Norton.Training.Extraction;

/// <summary>A video file could not be probed or decoded; the message names the file and says why.</summary>
public sealed class VideoDecodeException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public VideoDecodeException(string path, string reason, Exception? inner = null)
        : base($"Cannot decode video '{path}': {reason}", inner)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The video file.</summary>
    public string Path { get; }

    /// <summary>Why it failed, without the file name.</summary>
    public string Reason { get; }
}
