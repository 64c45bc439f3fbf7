namespace Norton.Evaluation.Metrics;

/// <summary>
/// The longest paragraph and the longest video of the whole evaluation set. The DTW and OTAM scores pad and scale
/// every block to these sizes, so a pair's score depends on them (docs/original-model.md §5.3, §5.4).
/// </summary>
/// <param name="MaxCaptions">Largest number of captions of any video (<c>Lt</c>; <c>Lmax</c> in §5.3).</param>
/// <param name="MaxClips">Largest number of clips or windows of any video (<c>Lv</c>; <c>Lmax</c> in §5.3).</param>
public readonly record struct ParagraphBounds(int MaxCaptions, int MaxClips)
{
    /// <summary>Throws unless both bounds are positive and the block fits inside them.</summary>
    internal void Validate(in SimilarityBlock block)
    {
        if (MaxCaptions < 1 || MaxClips < 1)
            throw new ArgumentException($"bounds must be positive, but got {MaxCaptions} captions, {MaxClips} clips.", "bounds");
        if (block.Rows > MaxCaptions || block.Columns > MaxClips)
            throw new ArgumentException(
                $"a {block.Rows} × {block.Columns} block does not fit the bounds {MaxCaptions} × {MaxClips}.", "bounds");
    }
}
