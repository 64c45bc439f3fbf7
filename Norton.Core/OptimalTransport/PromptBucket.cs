using Norton.Core.Validation;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core.OptimalTransport;

/// <summary>
/// Norton's alignable prompt bucket: an extra row and column of value <c>p</c> (the corner too) appended to every
/// score matrix, so that clips or captions with no counterpart scoring above <c>p</c> send their mass there and drop
/// out of the alignment. Its marginals follow <see cref="Marginals.SuperGlue"/>: the bucket row carries
/// <c>n/(m+n)</c>, the bucket column <c>m/(m+n)</c>.
/// </summary>
public sealed class PromptBucket
{
    private readonly double _constant;

    private PromptBucket(double constant, Tensor? value)
    {
        _constant = constant;
        Value = value;
    }

    /// <summary>The bucket value as a tensor (0-dim or one per problem), or null for a constant.</summary>
    public Tensor? Value { get; }

    /// <summary>A constant bucket value for every problem.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is NaN or infinite.</exception>
    public static PromptBucket Constant(double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentException($"The prompt bucket value must be finite, but is {value}.", nameof(value));
        return new PromptBucket(value, null);
    }

    /// <summary>
    /// A bucket value held in a tensor: 0-dim (shared) or (B) (one per problem). A learnable
    /// <see cref="TorchSharp.Modules.Parameter"/> works: under <see cref="SinkhornGradient.Unrolled"/> it receives a gradient.
    /// Its shape is checked here, its values (finite) when the problem is solved (<see cref="SinkhornOptions.CheckValues"/>).
    /// </summary>
    public static PromptBucket FromTensor(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Guard.FloatingPoint(value, nameof(value));
        Guard.Rank(value, nameof(value), 0, 1);
        return new PromptBucket(0, value);
    }

    /// <summary>
    /// <c>k = int(ratio * count)</c> exactly as the original computes it (a double product truncated toward zero:
    /// <c>int(0.7 * 90) = 62</c>), checked to lie in [1, count] (the original's <c>kthvalue</c> fails otherwise).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The ratio is not finite or in (0, 1], or k is out of range.</exception>
    public static long RankFromRatio(double ratio, long count)
    {
        if (!double.IsFinite(ratio) || ratio <= 0 || ratio > 1)
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, $"The prompt ratio must lie in (0, 1], but is {ratio}.");
        Guard.AtLeast(count, 1, nameof(count));
        long k = (long)(ratio * count);
        if (k < 1 || k > count)
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio,
                $"k = int(ratio * N) = int({ratio} * {count}) = {k} is out of range [1, {count}]: use more clips per batch or a larger ratio.");
        return k;
    }

    /// <summary>The k-th smallest (1-based) entry of a 1-D tensor, as a 0-dim tensor (gradient flows to that entry).</summary>
    /// <exception cref="ArgumentException">Not 1-D, or k out of [1, length].</exception>
    public static Tensor KthSmallest(Tensor values, long k)
    {
        Guard.Rank(values, nameof(values), 1);
        if (k < 1 || k > values.shape[0])
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must lie in [1, {values.shape[0]}] for values of shape {Guard.Shape(values)}, but is {k}.");
        using var scope = NewDisposeScope();
        var (v, _) = values.kthvalue(k, dim: 0);
        return v.MoveToOuterDisposeScope();
    }

    /// <summary>Rescales each plan so that its total mass (last two dimensions) is <paramref name="mass"/>.</summary>
    public static Tensor RenormalizeMass(Tensor plan, double mass)
    {
        Guard.Rank(plan, nameof(plan), 2, 3);
        Guard.Positive(mass, nameof(mass));
        using var scope = NewDisposeScope();
        // Same order as the original: plan * (L / sum).
        var total = plan.sum([-2L, -1L], keepdim: true);
        using var massScalar = mass.ToScalar();
        return plan.mul(total.reciprocal().mul(massScalar)).MoveToOuterDisposeScope();
    }

    /// <summary>Adds "the bucket tensor is finite" to a solve's batched checks (nothing for a constant, checked when made).</summary>
    internal void AddValueChecks(ValueChecks checks)
    {
        if (Value is null) return;
        var value = Value;
        checks.Add(() => value.isfinite().logical_not().any(), () => Guard.Finite(value, "bucket"));
    }

    /// <summary>The bucket value as a (B) tensor of the given dtype and device (its shape checked, not its values).</summary>
    internal Tensor Expand(long batch, ScalarType dtype, Device device)
    {
        if (Value is null)
        {
            using var constant = _constant.ToScalar();
            return full(batch, constant, dtype: dtype, device: device);
        }
        if (Value.dim() == 1 && Value.shape[0] != batch)
            throw new ArgumentException(
                $"The prompt bucket tensor must be 0-dim or have shape [{batch}] (one per problem), but has shape {Guard.Shape(Value)}.", "bucket");
        var v = Value.to(dtype, device);
        return Value.dim() == 0 ? v.expand(batch) : v;
    }
}
