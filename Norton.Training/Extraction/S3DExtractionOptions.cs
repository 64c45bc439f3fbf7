namespace Norton.Training.Extraction;

/// <summary>Settings of <see cref="S3DFeatureExtractor"/>; validated on construction.</summary>
public sealed record S3DExtractionOptions
{
    /// <summary>Creates validated options.</summary>
    /// <param name="batchSize">One-second clips per S3D forward (the original's <c>--batch_size</c>, 32 by default).</param>
    /// <param name="decodeAheadClips">
    /// How many decoded clips may wait for the network (bounds memory: 4.5 MB per clip at 224 x 224 x 30); 0 means
    /// twice the batch size.
    /// </param>
    public S3DExtractionOptions(int batchSize = 32, int decodeAheadClips = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1, nameof(batchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(decodeAheadClips, nameof(decodeAheadClips));
        BatchSize = batchSize;
        DecodeAheadClips = decodeAheadClips == 0 ? 2 * batchSize : decodeAheadClips;
    }

    /// <summary>One-second clips per S3D forward.</summary>
    public int BatchSize { get; }

    /// <summary>Decoded clips that may wait for the network.</summary>
    public int DecodeAheadClips { get; }
}
