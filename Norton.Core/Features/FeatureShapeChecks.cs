using Norton.Core.Validation;
using static TorchSharp.torch;

namespace Norton.Core.Features;

/// <summary>Shape, dtype and device checks of <see cref="VideoFeatures"/> and <see cref="TextFeatures"/>; they run in the constructors.</summary>
internal static class FeatureShapeChecks
{
    /// <summary>Shape and dtype checks of one modality; runs in the constructor.</summary>
    internal static void CheckShapes(Tensor pooled, Tensor? tokens, Tensor? mask, string modality, string tokenName)
    {
        ArgumentNullException.ThrowIfNull(pooled);
        string p = $"{modality}.Pooled", t = $"{modality}.{tokenName}", m = $"{modality}.Mask";
        Guard.FloatingPoint(pooled, p);
        if (pooled.dim() != 2)
            throw new ArgumentException($"{p} must be (N, D), but has shape {Guard.Shape(pooled)}.", nameof(pooled));
        if (pooled.shape[0] < 1 || pooled.shape[1] < 1)
            throw new ArgumentException($"{p} must not be empty, but has shape {Guard.Shape(pooled)}.", nameof(pooled));
        if (tokens is null)
        {
            if (mask is not null)
                throw new ArgumentException($"{m} was given without {t}; pass both or neither.", nameof(mask));
            return;
        }
        long n = pooled.shape[0], d = pooled.shape[1];
        if (tokens.dim() != 3 || tokens.shape[0] != n || tokens.shape[2] != d || tokens.shape[1] < 1)
            throw new ArgumentException(
                $"{t} must be (N, L, D) = ({n}, L >= 1, {d}) to match {p} {Guard.Shape(pooled)}, but has shape {Guard.Shape(tokens)}.", nameof(tokens));
        if (tokens.dtype != pooled.dtype)
            throw new ArgumentException($"{t} must have the dtype of {p} ({pooled.dtype}), but has {tokens.dtype}.", nameof(tokens));
        if (!SameDevice(tokens, pooled))
            throw new ArgumentException($"{t} must be on the device of {p} ({pooled.device}), but is on {tokens.device}.", nameof(tokens));
        if (mask is null) return;
        if (mask.dim() != 2 || mask.shape[0] != n || mask.shape[1] != tokens.shape[1])
            throw new ArgumentException(
                $"{m} must be (N, L) = ({n}, {tokens.shape[1]}) to match {t} {Guard.Shape(tokens)}, but has shape {Guard.Shape(mask)}.", nameof(mask));
        if (mask.dtype == ScalarType.ComplexFloat32 || mask.dtype == ScalarType.ComplexFloat64)
            throw new ArgumentException($"{m} must be bool or hold 0/1 numbers, but has dtype {mask.dtype}.", nameof(mask));
    }

    /// <summary>True when both tensors live on the same device (type and index).</summary>
    internal static bool SameDevice(Tensor a, Tensor b) => a.device_type == b.device_type && a.device_index == b.device_index;

}
