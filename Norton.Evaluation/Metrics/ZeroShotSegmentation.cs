using Norton.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Evaluation.Metrics;

/// <summary>
/// Zero-shot COIN step labelling, the original's <c>COINZSPredictor</c> (docs/original-model.md §5.6): a second is given
/// the step whose label embedding it matches best, unless no match beats the threshold, in which case it is
/// background (0).
/// </summary>
public static class ZeroShotSegmentation
{
    /// <summary>
    /// The background threshold <c>λ = max_{i≠j} &lt;L_i, L_j&gt;</c>: the largest similarity between two different
    /// step labels.
    /// </summary>
    /// <param name="labelEmbeddings">(K, H) pooled text vectors of the K step names, K ≥ 2.</param>
    /// <exception cref="ArgumentException">Not 2-D floating point or fewer than 2 labels.</exception>
    public static double Threshold(Tensor labelEmbeddings)
    {
        ArgumentNullException.ThrowIfNull(labelEmbeddings);
        if (labelEmbeddings.dim() != 2 || labelEmbeddings.shape[0] < 2 || labelEmbeddings.shape[1] < 1
            || !labelEmbeddings.is_floating_point())
            throw new ArgumentException(
                $"{nameof(labelEmbeddings)} must be a floating (K, H) matrix with K ≥ 2, but got {labelEmbeddings.dtype} [{string.Join(", ", labelEmbeddings.shape)}].",
                nameof(labelEmbeddings));
        using var scope = NewDisposeScope();
        long k = labelEmbeddings.shape[0];
        Tensor sim = labelEmbeddings.matmul(labelEmbeddings.t());
        Tensor offDiagonal = sim.masked_select(eye(k, dtype: ScalarType.Bool, device: sim.device).logical_not());
        return offDiagonal.max().to(ScalarType.Float64).item<double>();
    }

    /// <summary>Per-second labels from merged (T, K) logits against the K step labels.</summary>
    /// <param name="logits">(T, K) similarities of each second to each step label.</param>
    /// <param name="threshold">λ from <see cref="Threshold"/>.</param>
    /// <returns>(T,) int64: <c>argmax_k + 1</c> where <c>max_k &gt; λ</c>, else 0. Ties go to the first maximum.</returns>
    /// <exception cref="ArgumentException">Not a non-empty 2-D floating tensor, or a NaN threshold.</exception>
    public static Tensor Predict(Tensor logits, double threshold)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.dim() != 2 || logits.shape[0] < 1 || logits.shape[1] < 1 || !logits.is_floating_point())
            throw new ArgumentException(
                $"{nameof(logits)} must be a non-empty floating (T, K) matrix, but got {logits.dtype} [{string.Join(", ", logits.shape)}].",
                nameof(logits));
        if (double.IsNaN(threshold))
            throw new ArgumentException($"{nameof(threshold)} is NaN.", nameof(threshold));
        using var scope = NewDisposeScope();
        using var thresholdScalar = threshold.ToScalar();
        Tensor best = logits.amax(1);
        Tensor label = logits.argmax(1).to(ScalarType.Int64).add(Scalars.OneInt64, Scalars.OneInt64);
        return where(best.to(ScalarType.Float64).gt(thresholdScalar), label, zeros_like(label)).MoveToOuterDisposeScope();
    }
}
