using Norton.Evaluation.Metrics;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Evaluation.Tests.Metrics;

public class TemporalAlignmentTests
{
    [Fact]
    public void PlanPicksTextsByNonAlignableMidTimesWithEdgeRules()
    {
        // T = 60, window 32: starts arange(0, 44, 8) = 0, 8, 16, 24, 32, 40. Non-alignable mids: 11 (t1), 32 (t3).
        // Every window's look-around [s-32, s+64] holds both, so the range is [1, 3]; windows 0-3 start it at 0,
        // windows 4-5 (>= 6-4) end it at T = 60, clipped to the last text, 4.
        var texts = new[]
        {
            new AlignmentText(true, 1, 3), new AlignmentText(false, 10, 12), new AlignmentText(true, 20, 25),
            new AlignmentText(false, 30, 34), new AlignmentText(true, 50, 55),
        };
        var plan = TemporalAlignmentWindows.Plan(60, texts);
        Assert.Equal(new[]
        {
            new AlignmentWindow(0, 0, 32, 0, 3), new AlignmentWindow(1, 8, 32, 0, 3), new AlignmentWindow(2, 16, 32, 0, 3),
            new AlignmentWindow(3, 24, 32, 0, 3), new AlignmentWindow(4, 32, 28, 1, 4), new AlignmentWindow(5, 40, 20, 1, 4),
        }, plan);
    }

    [Fact]
    public void PlanSkipsWindowsWithoutNonAlignableTextsAndKeepsTheTailQuirk()
    {
        // All alignable: no window has a non-alignable text, so nothing runs.
        Assert.Empty(TemporalAlignmentWindows.Plan(60, new[] { new AlignmentText(true, 1, 2) }));

        // Window 4, T = 7, 10 texts at t = i: starts 0..4 (arange(0, 7-2, 1)); window 4 at s = 4 sees mids in
        // [0, 12], i.e. all, and the tail rule ends the range at index T = 7, so texts 8 and 9 are left out.
        var texts = Enumerable.Range(0, 10).Select(i => new AlignmentText(false, i, i)).ToArray();
        var plan = TemporalAlignmentWindows.Plan(7, texts, windowSize: 4);
        Assert.Equal(new AlignmentWindow(0, 0, 4, 0, 8), plan[0]);
        Assert.Equal(new AlignmentWindow(4, 4, 3, 0, 7), plan[4]);
    }

    [Fact]
    public void StitchAveragesOverlappingWindows()
    {
        // T = 6, 2 texts. Window 0 covers s 0-3 for both texts with 1s; window 1 covers s 2-5 for text 1 with 2s.
        // Text 0: [1,1,1,1,0,0]. Text 1: sums [1,1,3,3,2,2] / counts [1,1,2,2,1,1] = [1,1,1.5,1.5,2,2].
        var windows = new[] { new AlignmentWindow(0, 0, 4, 0, 1), new AlignmentWindow(1, 2, 4, 1, 1) };
        using var sim = TemporalAlignmentWindows.Stitch(6, 2, windows, w => full(w.TextCount, 5, (float)(w.Index + 1)));
        Assert.Equal(new float[] { 1, 1, 1, 1, 0, 0, 1, 1, 1.5f, 1.5f, 2, 2 }, sim.data<float>().ToArray());

        Assert.Contains("(1, ≥ 4)", Assert.Throws<ArgumentException>(
            () => TemporalAlignmentWindows.Stitch(6, 2, windows, w => zeros(2, 5))).Message);
    }

    [Fact]
    public void RecallAndAucOverVideos()
    {
        var recall = new TemporalAlignmentRecall();
        // Video A. t0 alignable [floor 1.2, ceil 2.5] = [1,3], argmax 2 -> hit, best 0.9.
        // t1 not alignable, best 0.5. t2 alignable [0, 1], zeros become -6e4 so argmax is 3 -> miss, best 0.4.
        using var a = tensor(new float[,] { { 0.1f, 0.2f, 0.9f, 0.3f, 0 }, { 0.5f, 0, 0, 0, 0 }, { 0, 0, 0, 0.4f, 0 } });
        recall.Add(a, new[] { new AlignmentText(true, 1.2, 2.5), new AlignmentText(false, 0, 9), new AlignmentText(true, 0, 0.5) });
        // Video B. t0 alignable [3, 3], never covered: all -6e4, argmax 0 -> miss, best -6e4. t1 not alignable, 0.7.
        using var b = tensor(new float[,] { { 0, 0, 0, 0 }, { 0.7f, 0.6f, 0, 0 } });
        recall.Add(b, new[] { new AlignmentText(true, 3, 3), new AlignmentText(false, 0, 1) });

        // Recall 1/3. AUC: positives 0.9, 0.4, -6e4 vs negatives 0.5, 0.7: only 0.9 beats both -> 2/6.
        var r = recall.Result();
        Assert.Equal(1.0 / 3, r.Recall!.Value, 12);
        Assert.Equal(1.0 / 3, r.Auc!.Value, 12);
        Assert.Equal((3, 5), (r.AlignableTexts, r.Texts));
    }

    [Fact]
    public void AucCountsTiesAsHalfAndIsNullForOneClass()
    {
        var tie = new TemporalAlignmentRecall();
        using var s = tensor(new float[,] { { 0.5f, 0.1f }, { 0.5f, 0.2f } });
        tie.Add(s, new[] { new AlignmentText(true, 0, 0), new AlignmentText(false, 0, 0) });
        Assert.Equal(0.5, tie.Result().Auc);
        Assert.Equal(1.0, tie.Result().Recall); // argmax 0 lies in [0, 0]

        var oneClass = new TemporalAlignmentRecall();
        oneClass.Add(s, new[] { new AlignmentText(true, 0, 0), new AlignmentText(true, 0, 0) });
        Assert.Null(oneClass.Result().Auc);
    }

    [Fact]
    public void TimesAreRoundedToFloat32BeforeFloorAndCeil()
    {
        // 2.9999999999 is 3.0f, so the window is [3, 3] and an argmax at 2 misses (in float64 it would be [2, 3]).
        var recall = new TemporalAlignmentRecall();
        using var s = tensor(new float[,] { { 0.1f, 0.2f, 0.9f, 0.3f } });
        recall.Add(s, new[] { new AlignmentText(true, 2.9999999999, 3.0) });
        Assert.Equal(0.0, recall.Result().Recall);
    }

    [Fact]
    public void BadInputIsRejected()
    {
        var recall = new TemporalAlignmentRecall();
        Assert.Throws<InvalidOperationException>(() => recall.Result());
        using var s = zeros(2, 3);
        Assert.Contains("2 rows", Assert.Throws<ArgumentException>(
            () => recall.Add(s, new[] { new AlignmentText(true, 0, 1) })).Message);
        Assert.Throws<ArgumentException>(() => TemporalAlignmentWindows.Plan(10, Array.Empty<AlignmentText>()));
        Assert.Throws<ArgumentException>(() => TemporalAlignmentWindows.Plan(0, new[] { new AlignmentText(false, 0, 1) }));
    }
}
