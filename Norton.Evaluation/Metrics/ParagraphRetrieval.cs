using static TorchSharp.torch;

namespace Norton.Evaluation.Metrics;

/// <summary>
/// Video–paragraph retrieval on YouCook2 (the original's <c>FullVideoRetrievalMetric</c> and
/// <c>FullVideoBGRetrievalMetric</c>, docs/original-model.md §5.3, §5.4): every paragraph is scored against every video by
/// pluggable <see cref="IParagraphScorer"/>s, then R@1/5/10 with the ranking rule of §5.2.
/// </summary>
public static class ParagraphRetrieval
{
    /// <summary>The scorers of §5.3 (with background): Cap.Avg, DTW and OTAM with distance <c>−S</c>.</summary>
    public static IReadOnlyList<IParagraphScorer> WithBackground { get; } =
        new IParagraphScorer[] { CaptionAverageScorer.Instance, DtwScorer.FullVideo, OtamScorer.FullVideo };

    /// <summary>The scorers of §5.4 (background removed): Cap.Avg, DTW (<c>3 − S</c>) and OTAM, 1.3·captions windows.</summary>
    public static IReadOnlyList<IParagraphScorer> BackgroundRemoved { get; } =
        new IParagraphScorer[] { CaptionAverageScorer.Instance, DtwScorer.BackgroundRemoved, OtamScorer.BackgroundRemoved };

    /// <summary>Scores every (paragraph, video) pair with each scorer and reports recall.</summary>
    /// <param name="similarity">
    /// (captions × clips) similarity, larger = more similar (raw dot products in the original), any floating dtype.
    /// It must cover <see cref="ParagraphLayout.CaptionRows"/> × <see cref="ParagraphLayout.ClipColumns"/>.
    /// </param>
    /// <param name="layout">Which rows and columns belong to which video; its order is the ground truth.</param>
    /// <param name="scorers">The scores to compute, e.g. <see cref="WithBackground"/>.</param>
    /// <returns>One result per scorer, in the given order.</returns>
    /// <remarks>
    /// Ties: an equal score for a video later in the layout ranks ahead of the ground truth, one earlier behind it
    /// (the stable reading of the original's argsort, see <see cref="TextToVideoRetrieval"/>).
    /// </remarks>
    /// <exception cref="ArgumentException">Bad matrix (not 2-D, empty, NaN), a layout outside it, or no scorers.</exception>
    public static IReadOnlyList<ParagraphRetrievalResult> Evaluate(
        Tensor similarity, ParagraphLayout layout, IReadOnlyList<IParagraphScorer> scorers)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(scorers);
        if (scorers.Count == 0 || scorers.Any(s => s is null))
            throw new ArgumentException("at least one scorer, and no null scorer, is needed.", nameof(scorers));
        float[] s = EvaluationInput.ToMatrix(similarity, nameof(similarity), out int rows, out int columns);
        if (layout.CaptionRows > rows || layout.ClipColumns > columns)
            throw new ArgumentException(
                $"{nameof(layout)} needs a {layout.CaptionRows} × {layout.ClipColumns} similarity matrix; got {rows} × {columns}.",
                nameof(similarity));
        int k = layout.Videos.Count;
        var results = new List<ParagraphRetrievalResult>(scorers.Count);
        // Every (paragraph, video) pair, paragraph-major; each scorer sees them all in one batch call.
        var blocks = new SimilarityBlock[k * k];
        for (int p = 0; p < k; p++)
        {
            ParagraphSpan text = layout.Videos[p];
            for (int v = 0; v < k; v++)
            {
                ParagraphSpan video = layout.Videos[v];
                blocks[p * k + v] = new SimilarityBlock(
                    s, text.CaptionStart * columns + video.ClipStart, columns, text.CaptionCount, video.ClipCount);
            }
        }
        foreach (IParagraphScorer scorer in scorers)
        {
            double[] scores = scorer.ScoreBatch(blocks, layout.Bounds);
            if (scores is null || scores.Length != blocks.Length)
                throw new InvalidOperationException(
                    $"scorer {scorer.Name} returned {scores?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"} scores for {blocks.Length} pairs.");
            int nan = Array.FindIndex(scores, double.IsNaN);
            if (nan >= 0)
                throw new InvalidOperationException(
                    $"scorer {scorer.Name} returned NaN for paragraph {nan / k} ({layout.Videos[nan / k].VideoId}) and video {nan % k} ({layout.Videos[nan % k].VideoId}).");
            int[] ranks = RetrievalRanking.DiagonalRanks(scores, k, k);
            var matrix = new double[k, k];
            Buffer.BlockCopy(scores, 0, matrix, 0, scores.Length * sizeof(double));
            results.Add(new ParagraphRetrievalResult(
                scorer.Name,
                RetrievalRanking.RecallAt(ranks, 1),
                RetrievalRanking.RecallAt(ranks, 5),
                RetrievalRanking.RecallAt(ranks, 10),
                matrix));
        }
        return results;
    }
}
