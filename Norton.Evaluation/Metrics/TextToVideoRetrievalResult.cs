namespace Norton.Evaluation.Metrics;

/// <summary>Text-to-video retrieval scores (docs/original-model.md §5.2).</summary>
/// <param name="R1">Fraction of queries whose video ranks first.</param>
/// <param name="R5">Fraction of queries whose video is in the top 5.</param>
/// <param name="R10">Fraction of queries whose video is in the top 10.</param>
/// <param name="MedianRank">
/// <c>median(rank) + 1</c> over 0-based ranks; for an even number of queries the two middle ranks are averaged,
/// so it can end in .5 (numpy's median, as the original).
/// </param>
/// <param name="Ranks">0-based rank of each query's ground-truth video.</param>
public sealed record TextToVideoRetrievalResult(double R1, double R5, double R10, double MedianRank, IReadOnlyList<int> Ranks);
