using Norton.Core.Validation;
using static TorchSharp.torch;

namespace Norton.Core.Features;

/// <summary>
/// The text side of a Norton loss call: N captions, each with a pooled feature and its per-word features.
/// </summary>
/// <remarks>
/// <para>Caption i belongs to clip i; consecutive groups of <c>NortonLossOptions.Length</c> (Norton.Losses) captions form one
/// paragraph. The tensors are the caller's; this type neither copies nor disposes them.</para>
/// <para>Shapes and dtypes are checked here; values (finite numbers, a 0/1 mask, at least one valid word per caption)
/// are checked by the loss that reads them.</para>
/// </remarks>
public sealed class TextFeatures
{
    /// <summary>Wraps and checks the text features.</summary>
    /// <param name="pooled">(N, D) pooled caption features (float16, bfloat16, float32 or float64).</param>
    /// <param name="words">(N, T, D) per-word features, same dtype and device; null when only the clip-caption loss is used.</param>
    /// <param name="mask">(N, T) valid words, bool or 0/1 numbers; null = every word slot is valid.</param>
    /// <exception cref="ArgumentException">A shape, dtype or device does not fit; the message says which and what came.</exception>
    public TextFeatures(Tensor pooled, Tensor? words = null, Tensor? mask = null)
    {
        FeatureShapeChecks.CheckShapes(pooled, words, mask, "text", nameof(Words));
        Pooled = pooled;
        Words = words;
        Mask = mask;
    }

    /// <summary>(N, D) pooled caption features.</summary>
    public Tensor Pooled { get; }

    /// <summary>(N, T, D) per-word features, or null.</summary>
    public Tensor? Words { get; }

    /// <summary>(N, T) word mask (true or 1 = valid), or null (all valid).</summary>
    public Tensor? Mask { get; }

    /// <summary>N, the number of captions.</summary>
    public long Count => Pooled.shape[0];

    /// <summary>D, the feature size.</summary>
    public long Dim => Pooled.shape[1];

    /// <summary>T, the padded number of word slots (0 without words).</summary>
    public long Slots => Words?.shape[1] ?? 0;
}
