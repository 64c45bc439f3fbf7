namespace Norton.Evaluation.Metrics;

/// <summary>
/// Scores one paragraph (the captions of a video) against one video (its clips or windows) for video-paragraph
/// retrieval. Implementations: <see cref="CaptionAverageScorer"/>, <see cref="DtwScorer"/>, <see cref="OtamScorer"/>;
/// an optimal-transport score can be plugged in the same way (or through <see cref="DelegateParagraphScorer"/>).
/// </summary>
public interface IParagraphScorer
{
    /// <summary>Short name used in reports, e.g. <c>"DTW"</c>.</summary>
    string Name { get; }

    /// <summary>Score of the pair; larger means a better match.</summary>
    /// <param name="block">Similarities (captions × clips) of the pair; larger = more similar.</param>
    /// <param name="bounds">Longest paragraph and video of the evaluation set.</param>
    double Score(in SimilarityBlock block, ParagraphBounds bounds);

    /// <summary>
    /// Scores many pairs in one call (<see cref="ParagraphRetrieval.Evaluate"/> passes every pair of the set at once),
    /// so that a scorer that solves a problem per pair can solve them together. The default calls
    /// <see cref="Score"/> once per block. Implementations keep no state between calls.
    /// </summary>
    /// <param name="blocks">The pairs' similarity blocks.</param>
    /// <param name="bounds">Longest paragraph and video of the evaluation set.</param>
    /// <returns>One score per block, in the order of <paramref name="blocks"/>.</returns>
    double[] ScoreBatch(IReadOnlyList<SimilarityBlock> blocks, ParagraphBounds bounds)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var scores = new double[blocks.Count];
        for (int i = 0; i < scores.Length; i++)
            scores[i] = Score(blocks[i], bounds);
        return scores;
    }
}
