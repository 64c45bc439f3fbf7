using Norton.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Evaluation.Metrics;

/// <summary>
/// The overlapping-window procedure of the original's <c>eval_zeroshot_align.py</c> (HTM-Align, after TAN;
/// docs/original-model.md §5.7): which windows are run with which texts, and how their similarities are stitched into one
/// (texts × seconds) matrix.
/// </summary>
public static class TemporalAlignmentWindows
{
    private static readonly Scalar MinimumCount = 1e-5f.ToScalar();

    /// <summary>The window length of the original (<c>seq_len</c> = 32 s).</summary>
    public const int DefaultWindowSize = 32;

    /// <summary>The windows to run for one video, in order.</summary>
    /// <param name="videoLength">T, seconds of features.</param>
    /// <param name="texts">All texts of the video, in annotation order.</param>
    /// <param name="windowSize">Window length in seconds (32); the stride is a quarter of it.</param>
    /// <remarks>
    /// Candidate starts are <c>0, ws/4, 2·ws/4, … &lt; T − ws/2</c>. A window is kept when some non-alignable text
    /// has its ASR mid-time <c>(start+end)/2</c> in <c>[s − ws, s + 2·ws]</c> (so the ground-truth times of
    /// alignable texts are never used to choose texts). Its active texts are the index range from the first to the
    /// last such text. For the first four windows the range starts at text 0; otherwise, for the last four, it runs
    /// to index <c>T</c> (the original writes the video length there, so with more than T+1 texts the last ones stay
    /// out), clipped to the texts. Mid-times are computed in float32, as the original's tensors.
    /// </remarks>
    /// <exception cref="ArgumentException">Non-positive length or window size, no texts, or a NaN time.</exception>
    public static IReadOnlyList<AlignmentWindow> Plan(int videoLength, IReadOnlyList<AlignmentText> texts, int windowSize = DefaultWindowSize)
    {
        CheckTexts(texts);
        if (videoLength < 1 || windowSize < 4)
            throw new ArgumentException(
                $"{nameof(videoLength)} must be ≥ 1 and {nameof(windowSize)} ≥ 4, but got {videoLength} and {windowSize}.",
                nameof(videoLength));
        int half = windowSize / 2, stride = windowSize / 4;
        var starts = new List<int>();
        for (int s = 0; s < videoLength - half; s += stride)
            starts.Add(s);

        var windows = new List<AlignmentWindow>();
        for (int idx = 0; idx < starts.Count; idx++)
        {
            int s = starts[idx];
            int first = -1, last = -1;
            for (int i = 0; i < texts.Count; i++)
            {
                if (texts[i].Alignable) continue;
                float mid = ((float)texts[i].Start + (float)texts[i].End) / 2f;
                if (s - windowSize <= mid && mid <= s + 2 * windowSize)
                {
                    if (first < 0) first = i;
                    last = i;
                }
            }
            if (first < 0) continue;
            if (idx <= 3)
                first = 0;
            else if (idx >= starts.Count - 4)
                last = videoLength;
            last = Math.Min(last, texts.Count - 1);
            if (last < first) continue;
            windows.Add(new AlignmentWindow(idx, s, Math.Min(videoLength, s + windowSize) - s, first, last));
        }
        return windows;
    }

    /// <summary>Averages per-window similarities onto the (texts × seconds) time line.</summary>
    /// <param name="videoLength">T, seconds of features.</param>
    /// <param name="textCount">Number of texts of the video.</param>
    /// <param name="windows">The windows from <see cref="Plan"/>.</param>
    /// <param name="windowSimilarity">
    /// For a window, the (active texts × ≥ Length) similarities of its texts to its seconds (the original gives
    /// 32 columns, padded slots included; only the first Length are used).
    /// </param>
    /// <returns>
    /// (texts, T) float32: the sum of the window similarities over the windows that cover a cell, divided by
    /// <c>max(count, 1e-5)</c> (0 where no window covers it).
    /// </returns>
    /// <exception cref="ArgumentException">Bad sizes, or a callback result of the wrong shape.</exception>
    public static Tensor Stitch(
        int videoLength, int textCount, IReadOnlyList<AlignmentWindow> windows, Func<AlignmentWindow, Tensor> windowSimilarity)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(windowSimilarity);
        if (videoLength < 1 || textCount < 1)
            throw new ArgumentException(
                $"{nameof(videoLength)} and {nameof(textCount)} must be ≥ 1, but got {videoLength} and {textCount}.", nameof(videoLength));
        using var scope = NewDisposeScope();
        Tensor logits = zeros(textCount, videoLength);
        Tensor counts = zeros(textCount, videoLength);
        foreach (AlignmentWindow w in windows)
        {
            if (w.FirstText < 0 || w.LastText >= textCount || w.LastText < w.FirstText
                || w.Start < 0 || w.Length < 1 || w.Start + w.Length > videoLength)
                throw new ArgumentException(
                    $"window {w} does not fit {textCount} texts and {videoLength} s.", nameof(windows));
            using var inner = NewDisposeScope();
            Tensor sim = windowSimilarity(w);
            if (sim is null || sim.dim() != 2 || sim.shape[0] != w.TextCount || sim.shape[1] < w.Length)
                throw new ArgumentException(
                    $"{nameof(windowSimilarity)} must return ({w.TextCount}, ≥ {w.Length}) for window {w.Index}, but got [{(sim is null ? "null" : string.Join(", ", sim.shape))}].",
                    nameof(windowSimilarity));
            Tensor part = sim.detach().cpu().to(ScalarType.Float32).narrow(1, 0, w.Length);
            logits.narrow(0, w.FirstText, w.TextCount).narrow(1, w.Start, w.Length).add_(part, Scalars.One);
            counts.narrow(0, w.FirstText, w.TextCount).narrow(1, w.Start, w.Length).add_(Scalars.One, Scalars.One);
        }
        return logits.div(counts.clamp_min(MinimumCount)).MoveToOuterDisposeScope();
    }

    internal static void CheckTexts(IReadOnlyList<AlignmentText> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
            throw new ArgumentException("a video needs at least one text; got none.", nameof(texts));
        for (int i = 0; i < texts.Count; i++)
            if (double.IsNaN(texts[i].Start) || double.IsNaN(texts[i].End))
                throw new ArgumentException($"texts[{i}] has a NaN time ({texts[i].Start}, {texts[i].End}).", nameof(texts));
    }
}
