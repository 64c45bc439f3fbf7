using Norton.Core.Validation;
using Norton.Core;
using static TorchSharp.torch;

namespace Norton.Losses;

/// <summary>Small operations shared by the loss branches, written as the original computes them.</summary>
internal static class SimilarityMath
{
    /// <summary>Rows scaled to unit L2 norm, <c>x / ||x||</c> (a zero row is rejected by the caller's checks).</summary>
    public static Tensor Unit(Tensor x) => x / x.norm(-1, keepdim: true);

    /// <summary>
    /// Global min-max normalisation over the whole matrix (docs/quirks.md Q2): <c>(x - min x)/(max x - min x)</c>; the gradient
    /// flows through the extreme entries (split evenly among ties).
    /// </summary>
    public static Tensor MinMax(Tensor x)
    {
        var lo = x.min();
        var hi = x.max();
        return (x - lo) / (hi - lo);
    }

    /// <summary>The compute dtype of a feature dtype: float16/bfloat16 run in float32, others unchanged.</summary>
    public static ScalarType ComputeType(ScalarType t) =>
        t == ScalarType.Float16 || t == ScalarType.BFloat16 ? ScalarType.Float32 : t;

    /// <summary>Adds "no zero row" (norms from <c>norm(-1, keepdim)</c>) to a call's batched checks.</summary>
    public static void NonZeroRows(LossValueChecks checks, Tensor norms, string name) =>
        checks.Add(() => norms.eq(Scalars.Zero).any(), () => NonZeroRows(norms, name));

    /// <summary>Throws unless a matrix has no zero row (the original returns NaN for them, docs/quirks.md Q7).</summary>
    public static void NonZeroRows(Tensor norms, string name)
    {
        var zero = norms.eq(Scalars.Zero).flatten();
        if (zero.any().item<bool>())
            throw Guard.Argument(name, "have no all-zero row (its direction, a unit vector, is undefined otherwise)",
                $"{name} row {zero.nonzero()[0, 0].item<long>()} is all zeros");
    }
}
