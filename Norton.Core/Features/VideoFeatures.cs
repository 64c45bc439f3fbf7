using static TorchSharp.torch;

namespace Norton.Core.Features;

/// <summary>
/// The video side of a Norton loss call: N clips, each with a pooled feature and its per-frame features.
/// </summary>
/// <remarks>
/// <para>Consecutive groups of <c>NortonLossOptions.Length</c> (Norton.Losses) clips form one long video. The shape
/// rules are <see cref="ModalityFeatures"/>'s; <see cref="Frames"/> is its <see cref="ModalityFeatures.Tokens"/>. The
/// tensors are the caller's; this type neither copies nor disposes them.</para>
/// </remarks>
public sealed class VideoFeatures : ModalityFeatures
{
    /// <summary>Wraps and checks the video features.</summary>
    /// <param name="pooled">(N, D) pooled clip features (float16, bfloat16, float32 or float64).</param>
    /// <param name="frames">(N, V, D) per-frame features, same dtype and device; null when only the clip-caption loss is used.</param>
    /// <param name="mask">(N, V) valid frames, bool or 0/1 numbers; null = every frame slot is valid.</param>
    /// <exception cref="ArgumentException">A shape, dtype or device does not fit; the message says which and what came.</exception>
    public VideoFeatures(Tensor pooled, Tensor? frames = null, Tensor? mask = null)
        : base(pooled, frames, mask, "video", nameof(Frames))
    {
    }

    /// <summary>(N, V, D) per-frame features, or null (the same tensor as <see cref="ModalityFeatures.Tokens"/>).</summary>
    public Tensor? Frames => Tokens;
}
