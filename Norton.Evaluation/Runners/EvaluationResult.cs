namespace Norton.Evaluation.Runners;

/// <summary>The result of one zero-shot evaluation.</summary>
/// <param name="Config">The config's name, e.g. <c>test_vtt_zs</c>.</param>
/// <param name="Task">What ran, e.g. <c>MSR-VTT retrieval</c>.</param>
/// <param name="Items">How many test items (pairs, questions, clips or videos) were scored.</param>
/// <param name="Metrics">The metrics; the first is the one checkpoints are chosen by (as the original's predict.py).</param>
public sealed record EvaluationResult(string Config, string Task, int Items, IReadOnlyList<MetricValue> Metrics)
{
    /// <summary>COIN: the first video's segmentation.</summary>
    public SegmentationExample? Segmentation { get; init; }

    /// <summary>HTM-Align: the first video's similarity.</summary>
    public AlignmentExample? Alignment { get; init; }

    /// <summary>The first metric's value.</summary>
    public double Primary => Metrics[0].Value;

    /// <summary>A metric by name.</summary>
    /// <exception cref="KeyNotFoundException">No such metric.</exception>
    public double this[string name] =>
        Metrics.FirstOrDefault(m => m.Name == name)?.Value
        ?? throw new KeyNotFoundException($"no metric '{name}'; have {string.Join(", ", Metrics.Select(m => m.Name))}.");
}

