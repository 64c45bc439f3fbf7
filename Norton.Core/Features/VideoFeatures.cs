using Norton.Core.Validation;
using static TorchSharp.torch;

namespace Norton.Core.Features;

/// <summary>
/// The video side of a Norton loss call: N clips, each with a pooled feature and its per-frame features.
/// </summary>
/// <remarks>
/// <para>Consecutive groups of <c>NortonLossOptions.Length</c> (Norton.Losses) clips form one long video. The tensors are the
/// caller's; this type neither copies nor disposes them.</para>
/// <para>Shapes and dtypes are checked here; values (finite numbers, a 0/1 mask, at least one valid frame per clip)
/// are checked by the loss that reads them.</para>
/// </remarks>
public sealed class VideoFeatures
{
    /// <summary>Wraps and checks the video features.</summary>
    /// <param name="pooled">(N, D) pooled clip features (float16, bfloat16, float32 or float64).</param>
    /// <param name="frames">(N, V, D) per-frame features, same dtype and device; null when only the clip-caption loss is used.</param>
    /// <param name="mask">(N, V) valid frames, bool or 0/1 numbers; null = every frame slot is valid.</param>
    /// <exception cref="ArgumentException">A shape, dtype or device does not fit; the message says which and what came.</exception>
    public VideoFeatures(Tensor pooled, Tensor? frames = null, Tensor? mask = null)
    {
        FeatureShapeChecks.CheckShapes(pooled, frames, mask, "video", nameof(Frames));
        Pooled = pooled;
        Frames = frames;
        Mask = mask;
    }

    /// <summary>(N, D) pooled clip features.</summary>
    public Tensor Pooled { get; }

    /// <summary>(N, V, D) per-frame features, or null.</summary>
    public Tensor? Frames { get; }

    /// <summary>(N, V) frame mask (true or 1 = valid), or null (all valid).</summary>
    public Tensor? Mask { get; }

    /// <summary>N, the number of clips.</summary>
    public long Count => Pooled.shape[0];

    /// <summary>D, the feature size.</summary>
    public long Dim => Pooled.shape[1];

    /// <summary>V, the padded number of frame slots (0 without frames).</summary>
    public long Slots => Frames?.shape[1] ?? 0;
}
