using Norton.Evaluation.Metrics;

namespace Norton.Evaluation.Runners;

/// <summary>One named metric value (recalls and accuracies are fractions in [0, 1]).</summary>
/// <param name="Name">As the original prints it, e.g. <c>R1</c>, <c>MR</c>, <c>DTW R1</c>, <c>frame_acc</c>.</param>
/// <param name="Value">The value.</param>
public sealed record MetricValue(string Name, double Value);

/// <summary>The COIN segmentation of one video, for plots.</summary>
/// <param name="VideoId">The video.</param>
/// <param name="Predicted">Per-second predicted labels (0 = background).</param>
/// <param name="Target">Per-second ground truth.</param>
public sealed record SegmentationExample(string VideoId, IReadOnlyList<long> Predicted, IReadOnlyList<long> Target);

/// <summary>The HTM-Align similarity of one video, for plots.</summary>
/// <param name="VideoId">The video.</param>
/// <param name="Similarity">(texts × seconds) stitched similarity.</param>
/// <param name="Texts">The texts' alignable flags and times.</param>
public sealed record AlignmentExample(string VideoId, float[,] Similarity, IReadOnlyList<AlignmentText> Texts);

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

/// <summary>Progress of a run: items done out of a total, in a named stage.</summary>
/// <param name="Stage">What is being done.</param>
/// <param name="Done">Items done.</param>
/// <param name="Total">Items in all.</param>
public readonly record struct EvaluationProgress(string Stage, int Done, int Total);
