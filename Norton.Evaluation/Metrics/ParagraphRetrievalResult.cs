namespace Norton.Evaluation.Metrics;

/// <summary>Video–paragraph retrieval scores of one scorer (paragraph k's ground truth is video k).</summary>
/// <param name="Scorer">The scorer's name, e.g. "DTW".</param>
/// <param name="R1">Fraction of paragraphs whose video ranks first.</param>
/// <param name="R5">Fraction of paragraphs whose video is in the top 5.</param>
/// <param name="R10">Fraction of paragraphs whose video is in the top 10.</param>
/// <param name="Scores">(K, K) pair scores, row = paragraph, column = video; larger = better.</param>
public sealed record ParagraphRetrievalResult(string Scorer, double R1, double R5, double R10, double[,] Scores);
