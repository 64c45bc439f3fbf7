using Norton.Evaluation.Metrics;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Evaluation.Tests.Metrics;

public class ActionSegmentationTests
{
    [Fact]
    public void FrameAccuracyCountsEveryFrameBackgroundIncluded()
    {
        // Errors at frames 2 (1 vs 2) and 4 (0 vs 1, a missed step): 1 - 2/5 = 0.6.
        using var pred = tensor(new long[] { 0, 1, 1, 2, 0 });
        using var gt = tensor(new long[] { 0, 1, 2, 2, 1 });
        Assert.Equal(new FrameAccuracyResult(0.6, 5, 2), FrameAccuracy.Evaluate(pred, gt));
    }

    [Fact]
    public void FrameAccuracyOverVideosIsPooledNotAveraged()
    {
        // A: 1 error in 2 frames; B: 0 in 3. Pooled 1 - 1/5 = 0.8 (the mean of per-video accuracies would be 0.75).
        var videos = new (IReadOnlyList<long>, IReadOnlyList<long>)[]
        {
            (new long[] { 1, 1 }, new long[] { 1, 0 }),
            (new long[] { 0, 0, 3 }, new long[] { 0, 0, 3 }),
        };
        Assert.Equal(0.8, FrameAccuracy.Evaluate(videos).Accuracy, 12);
    }

    [Fact]
    public void FrameAccuracyRejectsBadInput()
    {
        using var a = tensor(new long[] { 0, 1 });
        using var b = tensor(new long[] { 0 });
        using var f = zeros(2);
        Assert.Contains("2 frames", Assert.Throws<ArgumentException>(() => FrameAccuracy.Evaluate(a, b)).Message);
        Assert.Throws<ArgumentException>(() => FrameAccuracy.Evaluate(f, a));
        Assert.Throws<ArgumentException>(() => FrameAccuracy.Evaluate(Array.Empty<(IReadOnlyList<long>, IReadOnlyList<long>)>()));
    }

    [Fact]
    public void WindowMergeAveragesOverlappingSeconds()
    {
        // T = 5, stride 2, size 3: windows at 0 (3 s) and 2 (3 s, and 5-2 <= 3 stops). Slot 3 of each is padding.
        // Seconds 0,1,2 come from window 0, seconds 2,3,4 from window 1; second 2 is the mean of both.
        using var logits = tensor(new float[,,]
        {
            { { 1, 0 }, { 2, 0 }, { 3, 0 }, { 99, 99 } },
            { { 5, 1 }, { 6, 1 }, { 7, 1 }, { 99, 99 } },
        });
        using var targets = tensor(new long[,] { { 5, 5, 5, -100 }, { 0, 0, 0, -100 } });
        using var merged = SegmentationWindowMerge.Merge(logits, targets, videoLength: 5, stride: 2, windowSize: 3);
        Assert.Equal(new float[] { 1, 0, 2, 0, 4, 0.5f, 6, 1, 7, 1 }, merged.data<float>().ToArray());
        Assert.Equal(new long[] { 5, 2 }, merged.shape);

        // For T = 6 the plan has windows at 0, 2, 4 (3 + 3 + 2 = 8 slots), but only 6 are valid.
        Assert.Contains("6 valid slots", Assert.Throws<ArgumentException>(
            () => SegmentationWindowMerge.Merge(logits, targets, 6, 2, 3)).Message);
    }

    [Fact]
    public void ZeroShotThresholdIsTheLargestOffDiagonalLabelSimilarity()
    {
        // L = [[1,0],[0,1],[1,1]]: <L0,L1> = 0, <L0,L2> = <L1,L2> = 1; the diagonal (up to <L2,L2> = 2) is excluded.
        using var labels = tensor(new float[,] { { 1, 0 }, { 0, 1 }, { 1, 1 } });
        Assert.Equal(1.0, ZeroShotSegmentation.Threshold(labels));
    }

    [Fact]
    public void ZeroShotPredictionIsBackgroundUnlessAboveTheThreshold()
    {
        // λ = 1. Row 0: max 2 at k=1 -> label 2. Row 1: max 1 is not > 1 -> 0. Row 2: tie at k=0,1 -> first -> 1.
        using var logits = tensor(new float[,] { { 0.5f, 2, 0 }, { 1, 1, 0.2f }, { 3, 3, 1 } });
        using var pred = ZeroShotSegmentation.Predict(logits, 1.0);
        Assert.Equal(new long[] { 2, 0, 1 }, pred.data<long>().ToArray());
        using var one = ones(1, 4);
        Assert.Throws<ArgumentException>(() => ZeroShotSegmentation.Threshold(one));
        Assert.Throws<ArgumentException>(() => ZeroShotSegmentation.Predict(logits, double.NaN));
    }
}
