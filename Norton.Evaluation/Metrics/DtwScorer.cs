namespace Norton.Evaluation.Metrics;

/// <summary>
/// "DTW" video–paragraph score of the original's full-video metrics (docs/original-model.md §5.3, §5.4): distances from
/// <see cref="SequenceDistanceOptions"/>, padded to the bounds with <see cref="DynamicTimeWarping.Pad"/>, and the
/// negated final cumulative cost <c>−C[^1, ^1]</c> (larger = better).
/// </summary>
public sealed class DtwScorer : IParagraphScorer
{
    /// <summary>§5.3 (with background): distance <c>−S</c>, every clip.</summary>
    public static DtwScorer FullVideo { get; } = new(SequenceDistanceOptions.FullVideo);

    /// <summary>§5.4 (background removed): distance <c>3 − S</c>, the 1.3·captions best windows.</summary>
    public static DtwScorer BackgroundRemoved { get; } = new(SequenceDistanceOptions.BackgroundRemovedDtw);

    /// <summary>A DTW scorer with the given distance settings.</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public DtwScorer(SequenceDistanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validated();
    }

    /// <summary>The distance settings.</summary>
    public SequenceDistanceOptions Options { get; }

    /// <inheritdoc />
    public string Name => "DTW";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The block does not fit the bounds.</exception>
    public double Score(in SimilarityBlock block, ParagraphBounds bounds)
    {
        float[,] d = Options.Distances(block, bounds);
        float[,] cost = DynamicTimeWarping.CumulativeCost(DynamicTimeWarping.Pad(d, bounds.MaxCaptions, bounds.MaxClips));
        return -cost[bounds.MaxCaptions - 1, bounds.MaxClips - 1];
    }
}
