namespace Norton.Evaluation.Data;

/// <summary>One HTM-Align video: its id and texts in file order.</summary>
/// <param name="VideoId">YouTube id; features are <c>&lt;id&gt;.npy</c>.</param>
/// <param name="Segments">The annotated texts.</param>
public sealed record HtmAlignVideo(string VideoId, IReadOnlyList<HtmAlignSegment> Segments);
