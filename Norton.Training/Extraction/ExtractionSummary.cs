namespace Norton.Training.Extraction;

/// <summary>The outcome of <see cref="S3DFeatureExtractor.Extract"/>.</summary>
/// <param name="Extracted">Videos whose features were written.</param>
/// <param name="Skipped">Videos whose <c>.npy</c> already existed.</param>
/// <param name="Failures">Videos that could not be decoded, with the reason.</param>
/// <param name="VideoSeconds">Seconds of video extracted (frames / fps).</param>
/// <param name="Elapsed">Wall time of the run.</param>
/// <param name="NetworkTime">Time the main thread spent in S3D (and copying the features back).</param>
/// <param name="WaitTime">Time the main thread waited for decoded frames: near zero when decoding keeps up.</param>
public sealed record ExtractionSummary(
    IReadOnlyList<string> Extracted,
    IReadOnlyList<string> Skipped,
    IReadOnlyList<ExtractionFailure> Failures,
    double VideoSeconds,
    TimeSpan Elapsed,
    TimeSpan NetworkTime,
    TimeSpan WaitTime)
{
    /// <summary>Seconds of video extracted per second of wall time.</summary>
    public double VideoSecondsPerSecond => Elapsed.TotalSeconds > 0 ? VideoSeconds / Elapsed.TotalSeconds : 0;
}

/// <summary>A video that could not be decoded.</summary>
/// <param name="Video">Its path.</param>
/// <param name="Reason">Why.</param>
public sealed record ExtractionFailure(string Video, string Reason);
