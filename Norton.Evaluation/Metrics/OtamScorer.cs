namespace Norton.Evaluation.Metrics;

/// <summary>
/// "OTAM" video–paragraph score of the original's full-video metrics (docs/original-model.md §5.3, §5.4): the OTAM cost of
/// the distance block plus that of its transpose, negated (larger = better).
/// </summary>
/// <remarks>
/// Both directions are padded to the same targets (<c>MaxCaptions</c> rows, <c>MaxClips</c> columns), the transpose
/// included, as in the original; with background removed the transpose can be longer than <c>MaxCaptions</c> and
/// is then cropped (see <see cref="OrderedTemporalAlignment.Pad"/>).
/// </remarks>
public sealed class OtamScorer : IParagraphScorer
{
    /// <summary>§5.3 (with background): distance <c>−S</c>, every clip, area scaling.</summary>
    public static OtamScorer FullVideo { get; } = new(SequenceDistanceOptions.FullVideo);

    /// <summary>§5.4 (background removed): distance <c>−S</c>, the 1.3·captions best windows, longer-side scaling.</summary>
    public static OtamScorer BackgroundRemoved { get; } = new(SequenceDistanceOptions.BackgroundRemovedOtam);

    /// <summary>An OTAM scorer with the given distance settings.</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public OtamScorer(SequenceDistanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validated();
    }

    /// <summary>The distance settings.</summary>
    public SequenceDistanceOptions Options { get; }

    /// <inheritdoc />
    public string Name => "OTAM";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The block does not fit the bounds.</exception>
    public double Score(in SimilarityBlock block, ParagraphBounds bounds)
    {
        float[,] d = Options.Distances(block, bounds);
        float forward = FinalCost(d, bounds);
        float backward = FinalCost(Transpose(d), bounds);
        return -(forward + backward);
    }

    private static float FinalCost(float[,] d, ParagraphBounds bounds)
    {
        float[,] cost = OrderedTemporalAlignment.CumulativeCost(
            OrderedTemporalAlignment.Pad(d, bounds.MaxCaptions, bounds.MaxClips));
        return cost[cost.GetLength(0) - 1, cost.GetLength(1) - 1];
    }

    private static float[,] Transpose(float[,] d)
    {
        var t = new float[d.GetLength(1), d.GetLength(0)];
        for (int r = 0; r < d.GetLength(0); r++)
            for (int c = 0; c < d.GetLength(1); c++)
                t[c, r] = d[r, c];
        return t;
    }
}
