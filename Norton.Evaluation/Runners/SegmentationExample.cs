namespace Norton.Evaluation.Runners;

/// <summary>The COIN segmentation of one video, for plots.</summary>
/// <param name="VideoId">The video.</param>
/// <param name="Predicted">Per-second predicted labels (0 = background).</param>
/// <param name="Target">Per-second ground truth.</param>
public sealed record SegmentationExample(string VideoId, IReadOnlyList<long> Predicted, IReadOnlyList<long> Target);
