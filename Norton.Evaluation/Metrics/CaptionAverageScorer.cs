namespace Norton.Evaluation.Metrics;

/// <summary>
/// "Cap.Avg" (the original's "R" of the full-video metrics, docs/original-model.md §5.3 and §5.4): each caption takes its
/// best clip, and the pair's score is the mean of these maxima over the paragraph's captions.
/// </summary>
/// <remarks>
/// No padding, scaling or background removal: the bounds are not used. The maxima are summed in float32, row by row,
/// and divided in float32, as numpy's <c>mean(axis=0)</c> over the original's float32 scores does, so its ties are
/// the original's.
/// </remarks>
public sealed class CaptionAverageScorer : IParagraphScorer
{
    /// <summary>The one instance; the scorer has no settings.</summary>
    public static CaptionAverageScorer Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "Cap.Avg";

    /// <inheritdoc />
    public double Score(in SimilarityBlock block, ParagraphBounds bounds)
    {
        float sum = 0f;
        for (int r = 0; r < block.Rows; r++)
        {
            ReadOnlySpan<float> row = block.Row(r);
            float best = float.NegativeInfinity;
            foreach (float v in row)
                if (v > best) best = v;
            sum += best;
        }
        return sum / block.Rows; // float32 division, widened on return
    }
}
