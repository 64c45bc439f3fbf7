using static TorchSharp.torch;

namespace Norton.Evaluation.Metrics;

/// <summary>
/// Clip-level text-to-video retrieval, the original's <c>RetrievalMetric</c> (MSR-VTT, YouCook2 clips;
/// docs/original-model.md §5.2): R@1, R@5, R@10 and median rank.
/// </summary>
public static class TextToVideoRetrieval
{
    /// <summary>
    /// Scores a similarity matrix whose row <c>i</c> (text <c>i</c>) has its ground truth in column <c>i</c>.
    /// </summary>
    /// <param name="similarity">
    /// (Q, N) scores, <c>S[i, j] = &lt;pooled_text_i, pooled_video_j&gt;</c>, larger = more similar, Q ≤ N, any
    /// floating dtype and device. It is not modified.
    /// </param>
    /// <returns>Recalls, median rank and the per-query ranks.</returns>
    /// <remarks>
    /// Ties: an equal score in a higher column ranks ahead of the ground truth, one in a lower column behind it
    /// (the stable reading of the original's numpy argsort; see <c>RetrievalRanking</c>). Scores are compared in
    /// float32, the precision the original's scores have.
    /// </remarks>
    /// <exception cref="ArgumentException">Not 2-D, empty, not floating point, Q &gt; N, or NaN present.</exception>
    public static TextToVideoRetrievalResult Evaluate(Tensor similarity)
    {
        float[] s = EvaluationInput.ToMatrix(similarity, nameof(similarity), out int queries, out int videos);
        if (queries > videos)
            throw new ArgumentException(
                $"{nameof(similarity)} has {queries} query rows but only {videos} video columns; row i's ground truth is column i, so rows must not exceed columns.",
                nameof(similarity));
        // float32 values are exact in float64, so ranks and ties are those of the float32 scores.
        int[] ranks = RetrievalRanking.DiagonalRanks(Array.ConvertAll(s, v => (double)v), queries, videos);
        return new TextToVideoRetrievalResult(
            RetrievalRanking.RecallAt(ranks, 1),
            RetrievalRanking.RecallAt(ranks, 5),
            RetrievalRanking.RecallAt(ranks, 10),
            Median(ranks) + 1,
            ranks);
    }

    private static double Median(int[] ranks)
    {
        int[] sorted = (int[])ranks.Clone();
        Array.Sort(sorted);
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
