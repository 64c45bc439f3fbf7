using Norton.Core.Features;
using Norton.Core.Validation;
using Norton.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Losses;

/// <summary>
/// Checks shared by <see cref="Norton.Core.Features.VideoFeatures"/> and <see cref="Norton.Core.Features.TextFeatures"/>
/// (their shapes and dtypes are checked in Norton.Core when an input is built): values (finite features, 0/1 masks, at least one valid slot per row) when a loss reads it.
/// </summary>
internal static class TokenFeatureChecks
{
    /// <summary>Adds "every entry is finite" to a call's batched checks (the report names the first bad entry).</summary>
    internal static void Finite(LossValueChecks checks, Tensor t, string name) =>
        checks.Add(() => NotAllFinite(t), () => Guard.Finite(t, name));

    /// <summary>0-dim true when an entry is NaN or infinite: a NaN propagates to the minimum and the maximum, an
    /// infinity is one of them. Two values instead of an input-sized mask (a word tensor is 100 MB at paper scale).</summary>
    private static Tensor NotAllFinite(Tensor t)
    {
        if (t.numel() == 0) return zeros([], dtype: ScalarType.Bool, device: t.device);
        var (min, max) = t.aminmax();
        return min.isfinite().logical_and(max.isfinite()).logical_not();
    }

    /// <summary>The mask as a bool tensor (true = valid slot) without reading it; its 0/1 values and a valid slot per
    /// row are added to <paramref name="checks"/>.</summary>
    internal static Tensor BoolMask(LossValueChecks checks, Tensor tokens, Tensor? mask, string name)
    {
        if (mask is null)
            return ones(tokens.shape[0], tokens.shape[1], dtype: ScalarType.Bool, device: tokens.device);
        Tensor valid;
        if (mask.dtype == ScalarType.Bool)
        {
            valid = mask.alias();
        }
        else
        {
            valid = mask.ne(Scalars.Zero);
            checks.Add(() => valid.logical_and(mask.ne(Scalars.One)).any(), () => BoolMask(tokens, mask, name));
        }
        checks.Add(() => valid.any(1).logical_not().any(), () => ValidCounts(valid, name));
        return valid;
    }

    /// <summary>True when both tensors live on the same device (type and index).</summary>
    internal static bool SameDevice(Tensor a, Tensor b) => Norton.Core.Validation.Guard.SameDevice(a, b);

    /// <summary>The mask as a bool tensor (true = valid slot), or all-true when there is none; validates the 0/1 values.</summary>
    internal static Tensor BoolMask(Tensor tokens, Tensor? mask, string name)
    {
        if (mask is null)
            return ones(tokens.shape[0], tokens.shape[1], dtype: ScalarType.Bool, device: tokens.device);
        if (mask.dtype == ScalarType.Bool) return mask.alias();
        using var scope = NewDisposeScope();
        var valid = mask.ne(Scalars.Zero);
        var bad = valid.logical_and(mask.ne(Scalars.One));
        if (bad.any().item<bool>())
        {
            var at = bad.nonzero()[0];
            long r = at[0].item<long>(), c = at[1].item<long>();
            double v = mask[r, c].to(float64).item<double>();
            throw Guard.Argument(name, "be bool or hold only 0 and 1", $"holds {v} at [{r}, {c}]");
        }
        return valid.MoveToOuterDisposeScope();
    }

    /// <summary>Per-row valid counts of a bool mask, read to the host; throws for a row without a valid slot.</summary>
    internal static long[] ValidCounts(Tensor boolMask, string name)
    {
        using var scope = NewDisposeScope();
        long[] counts = boolMask.sum(1, type: ScalarType.Int64).cpu().data<long>().ToArray();
        for (int i = 0; i < counts.Length; i++)
            if (counts[i] == 0)
                throw Guard.Argument(name, "give every row at least one valid slot (the original divides by zero otherwise)",
                    $"{name} row {i} has no valid slot");
        return counts;
    }
}
