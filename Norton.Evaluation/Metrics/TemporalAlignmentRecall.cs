using static TorchSharp.torch;

namespace Norton.Evaluation.Metrics;

/// <summary>
/// HTM-Align recall and AUC (docs/original-model.md §5.7): add each video's stitched (texts × seconds) similarity, then read
/// the micro-averaged result.
/// </summary>
/// <remarks>
/// As in the original, cells that are exactly 0 (no window covered them, or a true zero) become −6e4 first. A text
/// is predicted at its best second (the first on ties); the original takes the argmax of the softmax over seconds,
/// which is the same second unless float32 rounding makes two probabilities equal. Times are rounded to float32
/// before ⌊start⌋ and ⌈end⌉, as the original reads them from float32 tensors.
/// </remarks>
public sealed class TemporalAlignmentRecall
{
    /// <summary>The value the original puts in uncovered cells.</summary>
    public const float UncoveredValue = -6e4f;

    private readonly List<bool> _alignable = new();
    private readonly List<double> _bestSimilarity = new();
    private int _hits;
    private int _scored;

    /// <summary>Adds one video.</summary>
    /// <param name="similarity">(texts, T) stitched similarity, e.g. from <see cref="TemporalAlignmentWindows.Stitch"/>.</param>
    /// <param name="texts">The video's texts, one per row.</param>
    /// <exception cref="ArgumentException">Shape mismatch, NaN, or bad texts.</exception>
    public void Add(Tensor similarity, IReadOnlyList<AlignmentText> texts)
    {
        TemporalAlignmentWindows.CheckTexts(texts);
        float[] sim = EvaluationInput.ToMatrix(similarity, nameof(similarity), out int rows, out int seconds);
        if (rows != texts.Count)
            throw new ArgumentException(
                $"{nameof(similarity)} has {rows} rows but the video has {texts.Count} texts.", nameof(similarity));
        for (int i = 0; i < rows; i++)
        {
            int best = 0;
            float bestValue = float.NegativeInfinity;
            for (int t = 0; t < seconds; t++)
            {
                float v = sim[i * seconds + t];
                if (v == 0f) v = UncoveredValue;
                if (t == 0 || v > bestValue)
                {
                    best = t;
                    bestValue = v;
                }
            }
            _alignable.Add(texts[i].Alignable);
            _bestSimilarity.Add(bestValue);
            if (!texts[i].Alignable) continue;
            _scored++;
            if (Math.Floor((float)texts[i].Start) <= best && best <= Math.Ceiling((float)texts[i].End))
                _hits++;
        }
    }

    /// <summary>The scores over every video added so far.</summary>
    /// <exception cref="InvalidOperationException">No video was added.</exception>
    public TemporalAlignmentResult Result()
    {
        if (_alignable.Count == 0)
            throw new InvalidOperationException("no video was added; add at least one before reading the result.");
        double? recall = _scored == 0 ? null : (double)_hits / _scored;
        return new TemporalAlignmentResult(recall, RocAuc.Compute(_alignable, _bestSimilarity), _scored, _alignable.Count);
    }
}
