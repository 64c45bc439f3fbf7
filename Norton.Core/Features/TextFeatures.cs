using static TorchSharp.torch;

namespace Norton.Core.Features;

/// <summary>
/// The text side of a Norton loss call: N captions, each with a pooled feature and its per-word features.
/// </summary>
/// <remarks>
/// <para>Caption i belongs to clip i; consecutive groups of <c>NortonLossOptions.Length</c> (Norton.Losses) captions form
/// one paragraph. The shape rules are <see cref="ModalityFeatures"/>'s; <see cref="Words"/> is its
/// <see cref="ModalityFeatures.Tokens"/>. The tensors are the caller's; this type neither copies nor disposes them.</para>
/// </remarks>
public sealed class TextFeatures : ModalityFeatures
{
    /// <summary>Wraps and checks the text features.</summary>
    /// <param name="pooled">(N, D) pooled caption features (float16, bfloat16, float32 or float64).</param>
    /// <param name="words">(N, T, D) per-word features, same dtype and device; null when only the clip-caption loss is used.</param>
    /// <param name="mask">(N, T) valid words, bool or 0/1 numbers; null = every word slot is valid.</param>
    /// <exception cref="ArgumentException">A shape, dtype or device does not fit; the message says which and what came.</exception>
    public TextFeatures(Tensor pooled, Tensor? words = null, Tensor? mask = null)
        : base(pooled, words, mask, "text", nameof(Words))
    {
    }

    /// <summary>(N, T, D) per-word features, or null (the same tensor as <see cref="ModalityFeatures.Tokens"/>).</summary>
    public Tensor? Words => Tokens;
}
