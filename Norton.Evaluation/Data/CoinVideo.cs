namespace Norton.Evaluation.Data;

/// <summary>One COIN video of <c>COIN.json</c>.</summary>
/// <param name="VideoId">The video id (features are <c>&lt;id&gt;.npy</c>).</param>
/// <param name="Subset"><c>training</c> or <c>testing</c>.</param>
/// <param name="Segments">Its steps in file order.</param>
public sealed record CoinVideo(string VideoId, string Subset, IReadOnlyList<CoinSegment> Segments);
