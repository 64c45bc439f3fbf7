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
}
