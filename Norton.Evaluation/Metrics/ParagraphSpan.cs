namespace Norton.Evaluation.Metrics;

/// <summary>
/// Where one video's paragraph and clips sit in the similarity matrix: rows
/// [<paramref name="CaptionStart"/>, +<paramref name="CaptionCount"/>) are its captions, columns
/// [<paramref name="ClipStart"/>, +<paramref name="ClipCount"/>) its clips or windows.
/// </summary>
/// <param name="VideoId">The video's id, if known (only for reports).</param>
/// <param name="CaptionStart">First caption row.</param>
/// <param name="CaptionCount">Number of captions, ≥ 1.</param>
/// <param name="ClipStart">First clip column.</param>
/// <param name="ClipCount">Number of clips or windows, ≥ 1.</param>
public sealed record ParagraphSpan(string? VideoId, int CaptionStart, int CaptionCount, int ClipStart, int ClipCount);
