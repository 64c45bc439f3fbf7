using Norton.Evaluation.Metrics;

namespace Norton.Evaluation.Runners;

/// <summary>The HTM-Align similarity of one video, for plots.</summary>
/// <param name="VideoId">The video.</param>
/// <param name="Similarity">(texts × seconds) stitched similarity.</param>
/// <param name="Texts">The texts' alignable flags and times.</param>
public sealed record AlignmentExample(string VideoId, float[,] Similarity, IReadOnlyList<AlignmentText> Texts);
