using Norton.Evaluation.Metrics;
using Xunit;

namespace Norton.Evaluation.Tests.Metrics;

public class BackgroundWindowSelectionTests
{
    [Fact]
    public void KeepsTheWindowsNearestToSomeCaptionInTimeOrder()
    {
        // Column minima μ = [5, 1, 2, 3, 3]. Two captions keep int(1.3·2) = 2 windows: 1 and 2.
        var d = new float[,] { { 5, 1, 9, 3, 3 }, { 6, 8, 2, 7, 3 } };
        Assert.Equal(new[] { 1, 2 }, BackgroundWindowSelection.Select(d, 1.3));
    }

    [Fact]
    public void EqualMinimaAreTakenInIndexOrder()
    {
        // Three captions keep int(3.9) = 3 windows; μ = [5, 1, 2, 3, 3] ties at 3 between windows 3 and 4 -> 3.
        var d = new float[,] { { 5, 1, 9, 3, 3 }, { 6, 8, 2, 7, 3 }, { 9, 9, 9, 9, 9 } };
        Assert.Equal(new[] { 1, 2, 3 }, BackgroundWindowSelection.Select(d, 1.3));
    }

    [Fact]
    public void ResultIsSortedByTimeNotByDistance()
    {
        // μ = [2, 9, 1]: one caption keeps int(1.3) = 1 window (2); with ratio 2, windows 2 then 0 -> sorted [0, 2].
        var d = new float[,] { { 2, 9, 1 } };
        Assert.Equal(new[] { 2 }, BackgroundWindowSelection.Select(d, 1.3));
        Assert.Equal(new[] { 0, 2 }, BackgroundWindowSelection.Select(d, 2.0));
    }

    [Fact]
    public void TruncatesLikePythonIntOfTheFloatProduct()
    {
        // 1.3·10 = 13.000000000000002 in float64 -> 13 of 20 windows; μ_w = w, so windows 0..12.
        var d = new float[10, 20];
        for (int r = 0; r < 10; r++)
            for (int c = 0; c < 20; c++)
                d[r, c] = c + r;
        Assert.Equal(Enumerable.Range(0, 13).ToArray(), BackgroundWindowSelection.Select(d, 1.3));
    }

    [Fact]
    public void KeepsEveryWindowWhenThereAreFewer()
    {
        Assert.Equal(new[] { 0, 1 }, BackgroundWindowSelection.Select(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, 1.3));
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Throws<ArgumentException>(() => BackgroundWindowSelection.Select(new float[0, 2], 1.3));
        Assert.Throws<ArgumentException>(() => BackgroundWindowSelection.Select(new float[1, 2], 0));
        Assert.Contains("0 windows", Assert.Throws<ArgumentException>(() => BackgroundWindowSelection.Select(new float[1, 2], 0.5)).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => BackgroundWindowSelection.Select(new float[,] { { float.NaN } }, 1.3)).Message);
    }
}
