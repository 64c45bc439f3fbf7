namespace Norton.Training.Batching;

/// <summary>
/// One training batch as plain arrays, ready to become the model's inputs on the training thread: <see cref="Rows"/>
/// = videos x clips per video (64 x 16 = 1,024 in the paper), video-major, so that each run of consecutive rows of
/// one video is what the video-paragraph loss groups. Prepared off the training thread (no TorchSharp objects).
/// </summary>
/// <param name="VideoIds">The batch's videos, in row order (each owns <see cref="ClipsPerVideo"/> rows).</param>
/// <param name="ClipsPerVideo">Rows per video (16 in the paper's config).</param>
/// <param name="TextLength">Token slots per caption row (32).</param>
/// <param name="VideoLength">Seconds per clip row (16, <c>max_video_len</c>).</param>
/// <param name="FeatureDim">Feature width per second (512 for S3D).</param>
/// <param name="Caps">Token ids, <c>Rows x TextLength</c>, row-major.</param>
/// <param name="CapsMask">Valid tokens, <c>Rows x TextLength</c>.</param>
/// <param name="VideoFeatures">Per-second features, <c>Rows x VideoLength x FeatureDim</c>, row-major.</param>
/// <param name="VideoMask">Valid seconds, <c>Rows x VideoLength</c>.</param>
public sealed record TrainingBatch(
    IReadOnlyList<string> VideoIds,
    int ClipsPerVideo,
    int TextLength,
    int VideoLength,
    int FeatureDim,
    long[] Caps,
    bool[] CapsMask,
    float[] VideoFeatures,
    bool[] VideoMask)
{
    /// <summary>Number of rows: videos x clips per video.</summary>
    public int Rows => VideoIds.Count * ClipsPerVideo;
}
