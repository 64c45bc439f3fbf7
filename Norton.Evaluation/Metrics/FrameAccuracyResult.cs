namespace Norton.Evaluation.Metrics;

/// <summary>Action-segmentation frame accuracy (docs/original-model.md §5.6).</summary>
/// <param name="Accuracy"><c>1 − Errors / Frames</c>.</param>
/// <param name="Frames">Number of per-second frames scored, background included.</param>
/// <param name="Errors">Frames whose predicted label differs from the ground truth.</param>
public sealed record FrameAccuracyResult(double Accuracy, long Frames, long Errors);
