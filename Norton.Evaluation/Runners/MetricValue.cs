namespace Norton.Evaluation.Runners;

/// <summary>One named metric value (recalls and accuracies are fractions in [0, 1]).</summary>
/// <param name="Name">As the original prints it, e.g. <c>R1</c>, <c>MR</c>, <c>DTW R1</c>, <c>frame_acc</c>.</param>
/// <param name="Value">The value.</param>
public sealed record MetricValue(string Name, double Value);
