namespace Norton.Models.Checkpoints;

/// <summary>
/// A checkpoint file that cannot be read as a state dict: truncated or corrupt, not a <c>torch.save</c> zip or
/// safetensors file, a pickled whole model, or a dictionary whose values are not tensors.
/// </summary>
public sealed class CheckpointFormatException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file.</param>
    /// <param name="problem">What is wrong, in words.</param>
    /// <param name="inner">The reader's own exception, if any.</param>
    public CheckpointFormatException(string path, string problem, Exception? inner = null)
        : base($"Checkpoint '{path}': {problem}", inner)
    {
        Path = path;
    }

    /// <summary>The file that failed to load.</summary>
    public string Path { get; }
}
