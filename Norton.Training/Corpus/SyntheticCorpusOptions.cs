using Norton.Core.Validation;
namespace Norton.Training.Corpus;

/// <summary>
/// Sizes and noise of <see cref="SyntheticCorpus"/>. The defaults make a small corpus for a laptop run: a few hundred
/// videos of 40-120 s at 512-d features.
/// </summary>
public sealed record SyntheticCorpusOptions
{
    /// <summary>Feature width (512, as S3D).</summary>
    public int FeatureDim { get; init; } = 512;

    /// <summary>Latent steps shared by all videos (recurring steps make faulty negatives, as in real how-to videos).</summary>
    public int Steps { get; init; } = 48;

    /// <summary>Shortest video, in seconds.</summary>
    public int MinSeconds { get; init; } = 40;

    /// <summary>Longest video, in seconds.</summary>
    public int MaxSeconds { get; init; } = 120;

    /// <summary>Shortest step segment, in seconds.</summary>
    public int MinSegmentSeconds { get; init; } = 4;

    /// <summary>Longest step segment, in seconds.</summary>
    public int MaxSegmentSeconds { get; init; } = 12;

    /// <summary>Fraction of videos whose captions are shifted by one segment (temporal misalignment).</summary>
    public double Shifted { get; init; } = 0.3;

    /// <summary>Fraction of captions about nothing in the video (irrelevant captions).</summary>
    public double Irrelevant { get; init; } = 0.2;

    /// <summary>Fraction of seconds that show background rather than the step.</summary>
    public double Background { get; init; } = 0.2;

    /// <summary>Per-second noise relative to the step's signal.</summary>
    public double FeatureNoise { get; init; } = 0.6;

    /// <summary>
    /// Videos generated and dropped before the written ones (their ids are skipped too), so that a second split written
    /// with the same seed shares the first's steps but none of its videos.
    /// </summary>
    public int SkipVideos { get; init; }

    /// <summary>How the corpus is laid out (split, shard size, float16).</summary>
    public CorpusWriterOptions Layout { get; init; } = new();

    /// <summary>Throws unless the settings make sense.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting out of range; the message names it.</exception>
    public SyntheticCorpusOptions Validate()
    {
        if (FeatureDim < 1) throw Guard.OutOfRange(nameof(FeatureDim), FeatureDim, "be > 0");
        if (Steps < 1) throw Guard.OutOfRange(nameof(Steps), Steps, "be > 0");
        if (MinSeconds < 1 || MaxSeconds < MinSeconds)
            throw new ArgumentOutOfRangeException(nameof(MaxSeconds), MaxSeconds, $"need 1 <= MinSeconds ({MinSeconds}) <= MaxSeconds.");
        if (MinSegmentSeconds < 1 || MaxSegmentSeconds < MinSegmentSeconds)
            throw new ArgumentOutOfRangeException(nameof(MaxSegmentSeconds), MaxSegmentSeconds, $"need 1 <= MinSegmentSeconds ({MinSegmentSeconds}) <= MaxSegmentSeconds.");
        foreach (var (value, name) in new[] { (Shifted, nameof(Shifted)), (Irrelevant, nameof(Irrelevant)), (Background, nameof(Background)) })
            if (!(value >= 0 && value <= 1)) throw Guard.OutOfRange(name, value, "lie in [0, 1]");
        if (!(FeatureNoise >= 0)) throw Guard.OutOfRange(nameof(FeatureNoise), FeatureNoise, "be >= 0");
        if (SkipVideos < 0) throw Guard.OutOfRange(nameof(SkipVideos), SkipVideos, "be >= 0");
        Layout.Validate();
        return this;
    }
}
