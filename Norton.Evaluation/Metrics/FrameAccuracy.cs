using static TorchSharp.torch;

namespace Norton.Evaluation.Metrics;

/// <summary>
/// COIN action-segmentation frame accuracy, the original's <c>COINActionSegmentationMetric</c>
/// (docs/original-model.md §5.6): the fraction of per-second frames, over all test videos concatenated, whose predicted step
/// label equals the ground truth. Background (label 0) frames count like any other.
/// </summary>
public static class FrameAccuracy
{
    /// <summary>Frame accuracy of one concatenated label sequence.</summary>
    /// <param name="predictions">(F,) predicted labels, any integer dtype.</param>
    /// <param name="targets">(F,) ground-truth labels, any integer dtype.</param>
    /// <exception cref="ArgumentException">Not 1-D integer, empty, or different lengths.</exception>
    public static FrameAccuracyResult Evaluate(Tensor predictions, Tensor targets)
    {
        long[] p = EvaluationInput.ToLabels(predictions, nameof(predictions));
        long[] t = EvaluationInput.ToLabels(targets, nameof(targets));
        if (p.Length != t.Length)
            throw new ArgumentException(
                $"{nameof(predictions)} has {p.Length} frames but {nameof(targets)} has {t.Length}.", nameof(predictions));
        return Count(new (IReadOnlyList<long>, IReadOnlyList<long>)[] { (p, t) });
    }

    /// <summary>Frame accuracy over several videos, as if their frames were concatenated.</summary>
    /// <param name="videos">Per video, its predicted and ground-truth labels (equal lengths).</param>
    /// <exception cref="ArgumentException">No frames at all, or a video whose two lengths differ.</exception>
    public static FrameAccuracyResult Evaluate(IEnumerable<(IReadOnlyList<long> Predictions, IReadOnlyList<long> Targets)> videos)
    {
        ArgumentNullException.ThrowIfNull(videos);
        return Count(videos);
    }

    private static FrameAccuracyResult Count(IEnumerable<(IReadOnlyList<long> Predictions, IReadOnlyList<long> Targets)> videos)
    {
        long frames = 0, errors = 0;
        int index = 0;
        foreach (var (p, t) in videos)
        {
            if (p is null || t is null || p.Count != t.Count)
                throw new ArgumentException(
                    $"video {index}: {p?.Count.ToString() ?? "null"} predictions for {t?.Count.ToString() ?? "null"} targets; they must match.",
                    nameof(videos));
            for (int i = 0; i < p.Count; i++)
                if (p[i] != t[i]) errors++;
            frames += p.Count;
            index++;
        }
        if (frames == 0)
            throw new ArgumentException("no frames to score; frame accuracy of nothing is undefined.", nameof(videos));
        return new FrameAccuracyResult(1.0 - (double)errors / frames, frames, errors);
    }
}
