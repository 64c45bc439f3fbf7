namespace Norton.Training.Corpus;

/// <summary>
/// One video as the samplers read it: its per-second features and its timed, pre-tokenised captions (the original's
/// <c>video_feature</c> and <c>text_feature</c>; docs/training-data.md).
/// </summary>
/// <remarks>Plain arrays only, so the batch feeder's background thread can read and sample videos without TorchSharp.</remarks>
public sealed class CorpusVideo
{
    /// <summary>Checks the shapes and keeps the arrays (not copied).</summary>
    /// <param name="id">The video id.</param>
    /// <param name="features">Per-second features, <c>seconds x featureDim</c>, row-major.</param>
    /// <param name="featureDim">Feature width (512 for S3D).</param>
    /// <param name="start">Caption start times in seconds.</param>
    /// <param name="end">Caption end times in seconds.</param>
    /// <param name="tokens">Per caption, its word-piece ids without special tokens (may be empty).</param>
    /// <exception cref="ArgumentException">Inconsistent lengths, no seconds or no captions; the message names the video.</exception>
    public CorpusVideo(string id, float[] features, int featureDim, double[] start, double[] end, int[][] tokens)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        ArgumentNullException.ThrowIfNull(tokens);
        if (featureDim < 1)
            throw new ArgumentOutOfRangeException(nameof(featureDim), featureDim, $"video '{id}': the feature width must be positive.");
        if (features.Length == 0 || features.Length % featureDim != 0)
            throw new ArgumentException(
                $"video '{id}': expected seconds x {featureDim} features with at least one second, found {features.Length} values.", nameof(features));
        if (start.Length == 0)
            throw new ArgumentException($"video '{id}': expected at least one caption, found none.", nameof(start));
        if (end.Length != start.Length || tokens.Length != start.Length)
            throw new ArgumentException(
                $"video '{id}': {start.Length} start times, {end.Length} end times and {tokens.Length} token lists; they must agree.", nameof(end));
        Id = id;
        Features = features;
        FeatureDim = featureDim;
        Start = start;
        End = end;
        Tokens = tokens;
    }

    /// <summary>The video id.</summary>
    public string Id { get; }

    /// <summary>Per-second features, <see cref="Seconds"/> x <see cref="FeatureDim"/>, row-major.</summary>
    public float[] Features { get; }

    /// <summary>Feature width.</summary>
    public int FeatureDim { get; }

    /// <summary>Seconds of features (T).</summary>
    public int Seconds => Features.Length / FeatureDim;

    /// <summary>Caption start times (seconds).</summary>
    public double[] Start { get; }

    /// <summary>Caption end times (seconds).</summary>
    public double[] End { get; }

    /// <summary>Per caption, its token ids (no special tokens, no padding).</summary>
    public int[][] Tokens { get; }

    /// <summary>Number of captions.</summary>
    public int CaptionCount => Start.Length;
}
