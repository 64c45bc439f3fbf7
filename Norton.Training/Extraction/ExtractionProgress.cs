namespace Norton.Training.Extraction;

/// <summary>Where an extraction run stands, reported after each video.</summary>
/// <param name="Video">The video just finished (extracted, skipped or failed).</param>
/// <param name="Outcome">What happened to it.</param>
/// <param name="VideosDone">Videos finished so far, of any outcome.</param>
/// <param name="VideosTotal">Videos in the run.</param>
/// <param name="VideoSeconds">Seconds of video extracted so far (frames / fps).</param>
/// <param name="Elapsed">Wall time since the run started.</param>
/// <param name="Error">Why the video failed, when it did.</param>
public sealed record ExtractionProgress(
    string Video, ExtractionOutcome Outcome, int VideosDone, int VideosTotal, double VideoSeconds, TimeSpan Elapsed, string? Error)
{
    /// <summary>Seconds of video extracted per second of wall time so far.</summary>
    public double VideoSecondsPerSecond => Elapsed.TotalSeconds > 0 ? VideoSeconds / Elapsed.TotalSeconds : 0;
}

/// <summary>What became of one video.</summary>
public enum ExtractionOutcome
{
    /// <summary>Its features were written.</summary>
    Extracted,

    /// <summary>Its <c>.npy</c> already existed (a resumed run).</summary>
    Skipped,

    /// <summary>It could not be decoded; nothing was written for it.</summary>
    Failed,
}
