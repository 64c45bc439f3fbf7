using Norton.Core.Validation;
using Norton.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Models.Bert;

/// <summary>The key mask of HF BERT 3.4 (<c>get_extended_attention_mask</c> for a 2-D mask).</summary>
public static class AttentionMask
{
    /// <summary>The value added to the scores of masked keys. BERT 3.x uses −10000, not −∞, so a row whose keys are
    /// all masked still attends uniformly instead of producing NaN.</summary>
    public const double MaskedKeyBias = -10000.0;

    private static readonly Scalar MaskedKeyBiasScalar = MaskedKeyBias.ToScalar();

    /// <summary>
    /// <c>(1 − mask[:, None, None, :]) · (−10000)</c>: the additive key bias for every layer and head.
    /// </summary>
    /// <param name="mask">(B, L) bool or 0/1 numbers, true on keys that may be attended to.</param>
    /// <param name="dtype">Floating dtype of the scores (the model's dtype).</param>
    /// <returns>(B, 1, 1, L) in <paramref name="dtype"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="mask"/> is not 2-D.</exception>
    public static Tensor Extend(Tensor mask, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.dim() != 2)
            throw Guard.Argument(nameof(mask), "be (B, L)", $"has shape {Guard.Shape(mask)}");
        using var scope = NewDisposeScope();
        var m = mask.unsqueeze(1).unsqueeze(2).to(dtype);
        return m.neg().add(Scalars.One, Scalars.One).mul(MaskedKeyBiasScalar).MoveToOuterDisposeScope();
    }
}
