using Norton.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Evaluation.Metrics;

/// <summary>
/// Stitches per-window frame logits back into one per-second sequence, the original COIN predictor's
/// <c>_merge_windows</c> (docs/original-model.md §5.6): overlapping windows are averaged.
/// </summary>
public static class SegmentationWindowMerge
{
    private static readonly Scalar IgnoreIndex = (-100L).ToScalar();

    /// <summary>Averages the valid slots of every window onto the video's time line.</summary>
    /// <param name="windowLogits">(W, S, K) logits of W windows of S slots each (S = 32 in the original).</param>
    /// <param name="windowTargets">(W, S) window targets; −100 marks a padded slot, which is dropped.</param>
    /// <param name="videoLength">T, the video's length in seconds.</param>
    /// <param name="stride">Window stride (16 at test, 8 at fine-tuning).</param>
    /// <param name="windowSize">Window length in seconds (32).</param>
    /// <returns>(T, K) float32 mean logits, on the logits' device.</returns>
    /// <remarks>
    /// Windows start at 0, stride, 2·stride, … and cover <c>min(T − start, windowSize)</c> seconds; generation stops
    /// after the first window with <c>T − start ≤ windowSize</c>. The valid slots, in window order, must be exactly
    /// those seconds.
    /// </remarks>
    /// <exception cref="ArgumentException">Bad shapes or sizes, or valid slots that do not match the window plan.</exception>
    public static Tensor Merge(Tensor windowLogits, Tensor windowTargets, int videoLength, int stride, int windowSize)
    {
        ArgumentNullException.ThrowIfNull(windowLogits);
        ArgumentNullException.ThrowIfNull(windowTargets);
        if (windowLogits.dim() != 3 || windowTargets.dim() != 2
            || windowLogits.shape[0] != windowTargets.shape[0] || windowLogits.shape[1] != windowTargets.shape[1])
            throw new ArgumentException(
                $"{nameof(windowLogits)} must be (W, S, K) and {nameof(windowTargets)} (W, S), but got [{string.Join(", ", windowLogits.shape)}] and [{string.Join(", ", windowTargets.shape)}].",
                nameof(windowLogits));
        if (!windowLogits.is_floating_point())
            throw new ArgumentException($"{nameof(windowLogits)} must be floating point, but got {windowLogits.dtype}.", nameof(windowLogits));
        if (videoLength < 1 || stride < 1 || windowSize < 1)
            throw new ArgumentException(
                $"{nameof(videoLength)}, {nameof(stride)} and {nameof(windowSize)} must be ≥ 1, but got {videoLength}, {stride}, {windowSize}.",
                nameof(videoLength));

        using var scope = NewDisposeScope();
        long classes = windowLogits.shape[2];
        Tensor valid = windowTargets.reshape(-1).ne(IgnoreIndex);
        Tensor rows = windowLogits.reshape(-1, classes).index(valid).to(ScalarType.Float32);
        long[] time = TimeOfEachSlot(videoLength, stride, windowSize);
        if (rows.shape[0] != time.Length)
            throw new ArgumentException(
                $"{nameof(windowTargets)} marks {rows.shape[0]} valid slots, but a {videoLength} s video in windows of {windowSize} s every {stride} s has {time.Length}.",
                nameof(windowTargets));
        Tensor index = tensor(time, device: windowLogits.device);
        Tensor sum = zeros(videoLength, classes, device: windowLogits.device).index_add_(0, index, rows, Scalars.One);
        Tensor counts = bincount(index, minlength: videoLength).to(ScalarType.Float32).unsqueeze(1);
        return sum.div(counts).MoveToOuterDisposeScope();
    }

    /// <summary>The second each valid slot lands on, in window order.</summary>
    private static long[] TimeOfEachSlot(int videoLength, int stride, int windowSize)
    {
        var time = new List<long>();
        for (int start = 0; start < videoLength; start += stride)
        {
            int length = Math.Min(videoLength - start, windowSize);
            for (int i = 0; i < length; i++)
                time.Add(start + i);
            if (videoLength - start <= windowSize)
                break;
        }
        return time.ToArray();
    }
}
