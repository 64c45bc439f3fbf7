using Norton.Core.Validation;
using static TorchSharp.torch;

namespace Norton.Core.Features;

/// <summary>
/// One side of a Norton loss call: N items (clips or captions), each with a pooled feature and, optionally, its
/// per-token features (frames or words) and their mask. The shape shared by <see cref="VideoFeatures"/> and
/// <see cref="TextFeatures"/>, which are the only subclasses and keep the side in the type.
/// </summary>
/// <remarks>
/// <para>The tensors are the caller's; this type neither copies nor disposes them.</para>
/// <para>Shapes, dtypes and devices are checked on construction, without reading any value; values (finite numbers, a
/// 0/1 mask, at least one valid token per row) are checked by the loss that reads them.</para>
/// </remarks>
public abstract class ModalityFeatures
{
    private protected ModalityFeatures(Tensor pooled, Tensor? tokens, Tensor? mask, string side, string tokenName)
    {
        CheckShapes(pooled, tokens, mask, side, tokenName);
        Pooled = pooled;
        Tokens = tokens;
        Mask = mask;
    }

    /// <summary>(N, D) pooled features.</summary>
    public Tensor Pooled { get; }

    /// <summary>(N, L, D) per-token features (frames or words), or null.</summary>
    public Tensor? Tokens { get; }

    /// <summary>(N, L) token mask (true or 1 = valid), or null (all valid).</summary>
    public Tensor? Mask { get; }

    /// <summary>N, the number of rows (clips or captions).</summary>
    public long Count => Pooled.shape[0];

    /// <summary>D, the feature size.</summary>
    public long Dim => Pooled.shape[1];

    /// <summary>L, the padded number of token slots (0 without tokens).</summary>
    public long Slots => Tokens?.shape[1] ?? 0;

    // The shape rules of both sides: pooled (N, D) floating point, tokens (N, L >= 1, D) of the same dtype and device,
    // mask (N, L) bool or 0/1 numbers, a mask only with tokens. Argument names are the side's ("video.Frames").
    private static void CheckShapes(Tensor pooled, Tensor? tokens, Tensor? mask, string side, string tokenName)
    {
        ArgumentNullException.ThrowIfNull(pooled);
        string p = $"{side}.Pooled", t = $"{side}.{tokenName}", m = $"{side}.Mask";
        Guard.FloatingPoint(pooled, p);
        if (pooled.dim() != 2)
            throw new ArgumentException(Guard.Message(p, "be (N, D)", $"has shape {Guard.Shape(pooled)}"), nameof(pooled));
        if (pooled.shape[0] < 1 || pooled.shape[1] < 1)
            throw new ArgumentException(Guard.Message(p, "not be empty", $"has shape {Guard.Shape(pooled)}"), nameof(pooled));
        if (tokens is null)
        {
            if (mask is not null)
                throw new ArgumentException(Guard.Message(m, $"not be given without {t} (pass both or neither)", $"{t} is null"), nameof(mask));
            return;
        }
        long n = pooled.shape[0], d = pooled.shape[1];
        if (tokens.dim() != 3 || tokens.shape[0] != n || tokens.shape[2] != d || tokens.shape[1] < 1)
            throw new ArgumentException(Guard.Message(t, $"be (N, L, D) = ({n}, L >= 1, {d}) to match {p} {Guard.Shape(pooled)}",
                $"has shape {Guard.Shape(tokens)}"), nameof(tokens));
        if (tokens.dtype != pooled.dtype)
            throw new ArgumentException(Guard.Message(t, $"have the dtype of {p} ({pooled.dtype})", $"has {tokens.dtype}"), nameof(tokens));
        if (!Guard.SameDevice(tokens, pooled))
            throw new ArgumentException(Guard.Message(t, $"be on the device of {p} ({pooled.device})", $"is on {tokens.device}"), nameof(tokens));
        if (mask is null) return;
        if (mask.dim() != 2 || mask.shape[0] != n || mask.shape[1] != tokens.shape[1])
            throw new ArgumentException(Guard.Message(m, $"be (N, L) = ({n}, {tokens.shape[1]}) to match {t} {Guard.Shape(tokens)}",
                $"has shape {Guard.Shape(mask)}"), nameof(mask));
        if (mask.dtype == ScalarType.ComplexFloat32 || mask.dtype == ScalarType.ComplexFloat64)
            throw new ArgumentException(Guard.Message(m, "be bool or hold 0/1 numbers", $"has dtype {mask.dtype}"), nameof(mask));
    }
}
