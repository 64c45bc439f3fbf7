using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Evaluation.Processing;

/// <summary>
/// The original aligners' video layout (<c>Aligner._build_video_seq</c>): a clip of the features is copied into
/// Tv zero slots with a true mask on the copied ones; long videos become sliding windows of such clips.
/// </summary>
public static class VideoSlots
{
    private static readonly Scalar True = true.ToScalar();

    /// <summary>The first <c>min(T, Tv)</c> rows of <paramref name="features"/> in Tv slots.</summary>
    /// <param name="features">(T, D) float32.</param>
    /// <param name="maxVideoLength">Tv.</param>
    /// <returns><c>vfeats</c> (Tv, D) and <c>vmasks</c> (Tv) bool, new tensors.</returns>
    public static (Tensor Vfeats, Tensor Vmasks) Clip(Tensor features, int maxVideoLength)
    {
        ArgumentNullException.ThrowIfNull(features);
        int length = (int)Math.Min(features.shape[0], maxVideoLength);
        return Slot(features, 0, length, maxVideoLength);
    }

    /// <summary>
    /// Windows starting at 0, stride, 2·stride, … of <c>min(T − start, size)</c> rows each, each in Tv slots;
    /// generation stops after the first window with <c>T − start ≤ size</c> (the original's
    /// <c>VideoProcessor</c> for COIN and <c>YoucookFullVideoBGProcessor</c>).
    /// </summary>
    /// <returns><c>vfeats</c> (W, Tv, D), <c>vmasks</c> (W, Tv) and the window starts.</returns>
    /// <exception cref="ArgumentException">A window longer than Tv, or a non-positive stride.</exception>
    public static (Tensor Vfeats, Tensor Vmasks, IReadOnlyList<int> Starts) Windows(Tensor features, int stride, int size, int maxVideoLength)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (stride < 1 || size < 1 || size > maxVideoLength)
            throw new ArgumentException($"windows need stride ≥ 1 and 1 ≤ size ≤ max_video_len ({maxVideoLength}); got stride {stride}, size {size}.", nameof(size));
        int length = (int)features.shape[0];
        var starts = new List<int>();
        for (int start = 0; start < length; start += stride)
        {
            starts.Add(start);
            if (length - start <= size) break;
        }
        using var scope = NewDisposeScope();
        var feats = new List<Tensor>();
        var masks = new List<Tensor>();
        foreach (int start in starts)
        {
            var (f, m) = Slot(features, start, Math.Min(length - start, size), maxVideoLength);
            feats.Add(f);
            masks.Add(m);
        }
        return (stack(feats).MoveToOuterDisposeScope(), stack(masks).MoveToOuterDisposeScope(), starts);
    }

    private static (Tensor Vfeats, Tensor Vmasks) Slot(Tensor features, int start, int length, int maxVideoLength)
    {
        using var scope = NewDisposeScope();
        Tensor vfeats = zeros(maxVideoLength, features.shape[1], ScalarType.Float32);
        Tensor vmasks = zeros(maxVideoLength, ScalarType.Bool);
        if (length > 0)
        {
            vfeats.narrow(0, 0, length).copy_(features.narrow(0, start, length));
            vmasks.narrow(0, 0, length).fill_(True);
        }
        return (vfeats.MoveToOuterDisposeScope(), vmasks.MoveToOuterDisposeScope());
    }
}
