namespace Norton.Evaluation.Metrics;

/// <summary>How a block's distances are rescaled before padding, so that short and long pairs are comparable.</summary>
public enum PathLengthScaling
{
    /// <summary>Multiply by <c>(Lt·Lv) / (rows·columns)</c> (both DTW variants and the full-video OTAM).</summary>
    AreaRatio,

    /// <summary>Multiply by <c>max(Lt, Lv) / max(rows, columns)</c> (OTAM with background removed).</summary>
    LongerSideRatio,
}

/// <summary>
/// How <see cref="DtwScorer"/> and <see cref="OtamScorer"/> turn a similarity block into the distance matrix they
/// align. The presets are the two settings of the original (docs/original-model.md §5.3 and §5.4).
/// </summary>
/// <param name="DistanceOffset">
/// The distance is <c>DistanceOffset − similarity</c>. 0 in the original except for the background-removed DTW,
/// which uses 3 (the features are not normalised, so this is not the TempCLR <c>1 − cos</c>).
/// </param>
/// <param name="WindowSelectionRatio">
/// When set, background removal: keep only the ⌊ratio·captions⌋ clips whose best caption distance is smallest,
/// in temporal order (<see cref="BackgroundWindowSelection"/>). The original uses 1.3; null keeps every clip.
/// </param>
/// <param name="Scaling">The rescaling rule applied after the selection.</param>
public sealed record SequenceDistanceOptions(float DistanceOffset, double? WindowSelectionRatio, PathLengthScaling Scaling)
{
    /// <summary>
    /// §5.3, YouCook2 video–paragraph retrieval with background: distance <c>−S</c>, every clip kept, area scaling.
    /// </summary>
    public static SequenceDistanceOptions FullVideo { get; } = new(0f, null, PathLengthScaling.AreaRatio);

    /// <summary>§5.4 DTW with background removed: distance <c>3 − S</c>, ratio 1.3, area scaling.</summary>
    public static SequenceDistanceOptions BackgroundRemovedDtw { get; } = new(3f, 1.3, PathLengthScaling.AreaRatio);

    /// <summary>§5.4 OTAM with background removed: distance <c>−S</c>, ratio 1.3, longer-side scaling.</summary>
    public static SequenceDistanceOptions BackgroundRemovedOtam { get; } = new(0f, 1.3, PathLengthScaling.LongerSideRatio);

    /// <summary>The validated settings; the presets pass.</summary>
    /// <exception cref="ArgumentException">A non-finite offset or a ratio that is not positive and finite.</exception>
    public SequenceDistanceOptions Validated()
    {
        if (!float.IsFinite(DistanceOffset))
            throw new ArgumentException($"{nameof(DistanceOffset)} must be finite, but got {DistanceOffset}.", nameof(DistanceOffset));
        if (WindowSelectionRatio is { } r && (!double.IsFinite(r) || r <= 0))
            throw new ArgumentException(
                $"{nameof(WindowSelectionRatio)} must be positive and finite, but got {r}.", nameof(WindowSelectionRatio));
        if (!Enum.IsDefined(Scaling))
            throw new ArgumentException($"{nameof(Scaling)} {(int)Scaling} is not a {nameof(PathLengthScaling)}.", nameof(Scaling));
        return this;
    }

    /// <summary>
    /// The scaled (captions × kept clips) distance matrix of a block, computed in float32 as the original does.
    /// </summary>
    internal float[,] Distances(in SimilarityBlock block, ParagraphBounds bounds)
    {
        bounds.Validate(block);
        int rows = block.Rows;
        var raw = new float[rows, block.Columns];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = block.Row(r);
            for (int c = 0; c < row.Length; c++)
                raw[r, c] = DistanceOffset - row[c];
        }
        int[] kept = WindowSelectionRatio is { } ratio
            ? BackgroundWindowSelection.Select(raw, ratio)
            : Enumerable.Range(0, block.Columns).ToArray();
        int columns = kept.Length;
        // Python computes the factor in float64; torch multiplies the float32 tensor by it in float32.
        float scale = Scaling == PathLengthScaling.AreaRatio
            ? (float)((double)bounds.MaxCaptions * bounds.MaxClips / ((double)rows * columns))
            : (float)((double)Math.Max(bounds.MaxCaptions, bounds.MaxClips) / Math.Max(rows, columns));
        var scaled = new float[rows, columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                scaled[r, c] = raw[r, kept[c]] * scale;
        return scaled;
    }
}
