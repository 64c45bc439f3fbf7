using Norton.Evaluation.Metrics;
using Xunit;

namespace Norton.Evaluation.Tests.Metrics;

public class OrderedTemporalAlignmentTests
{
    private const float Inf = float.PositiveInfinity;

    [Fact]
    public void PadAddsZeroColumnsThenInfinityThenZeroesTheCorner()
    {
        // 2×2 -> targets 3×3: framed [[0,1,2,0],[0,3,4,0]], padded to 3×5 with +inf,
        // then rows [-2:] (1, 2) × columns [-1:] (4) set to 0.
        float[,] p = OrderedTemporalAlignment.Pad(new float[,] { { 1, 2 }, { 3, 4 } }, 3, 3);
        Assert.Equal(new float[,] { { 0, 1, 2, 0, Inf }, { 0, 3, 4, 0, 0 }, { Inf, Inf, Inf, Inf, 0 } }, p);
        // Row 0: 0,1,3,3,inf. Row 1: C11 = 3 - min(0,1,0) = 3; C12 = 4+min(1,3) = 5; C13 = 0+min(3,5) = 3;
        // C14 = 0+min(3,inf,3) = 3. Row 2: C21 = inf, C22 = C23 = inf; C24 = 0+min(3,3,inf) = 3.
        float[,] c = OrderedTemporalAlignment.CumulativeCost(p);
        Assert.Equal(new float[] { 0, 1, 3, 3, Inf }, Row(c, 0));
        Assert.Equal(new float[] { 0, 3, 5, 3, 3 }, Row(c, 1));
        Assert.Equal(3f, c[2, 4]);
    }

    [Fact]
    public void SecondColumnSubtractsTheMinimumAsTheOriginalDoes()
    {
        // D = [[-1,-2],[-3,-4],[-5,-6]] to targets 3×3: d0 = 0, d1 = 1; row 2 × column 4 zeroed.
        // P = [[0,-1,-2,0,inf],[0,-3,-4,0,inf],[0,-5,-6,0,0]].
        // Row 0: 0,-1,-3,-3,inf.
        // Row 1: C11 = -3 - min(0,-1,0) = -2 (not -4); C12 = -4+min(-1,-2) = -6; C13 = 0+min(-3,-6) = -6; C14 = inf.
        // Row 2: C21 = -5 - min(0,-2,0) = -3; C22 = -6+min(-2,-3) = -9; C23 = 0+min(-6,-9) = -9;
        //        C24 = 0+min(-6,inf,-9) = -9.
        float[,] p = OrderedTemporalAlignment.Pad(new float[,] { { -1, -2 }, { -3, -4 }, { -5, -6 } }, 3, 3);
        Assert.Equal(new float[,] { { 0, -1, -2, 0, Inf }, { 0, -3, -4, 0, Inf }, { 0, -5, -6, 0, 0 } }, p);
        float[,] c = OrderedTemporalAlignment.CumulativeCost(p);
        Assert.Equal(new float[] { 0, -2, -6, -6, Inf }, Row(c, 1));
        Assert.Equal(new float[] { 0, -3, -9, -9, -9 }, Row(c, 2));
    }

    [Fact]
    public void NegativeRowPadCropsAndZeroesFromTheFront()
    {
        // D 3×1 = [[-1],[-2],[-3]] to targets 2×2: d0 = -1 (crop the last row), d1 = 1.
        // Framed 3×3 -> 2×4: [[0,-1,0,inf],[0,-2,0,inf]]; rows [-(-1)-1:] = [0:] (all) × columns [-1:] -> 0.
        float[,] p = OrderedTemporalAlignment.Pad(new float[,] { { -1 }, { -2 }, { -3 } }, 2, 2);
        Assert.Equal(new float[,] { { 0, -1, 0, 0 }, { 0, -2, 0, 0 } }, p);
        // Row 0: 0,-1,-1,-1. Row 1: C11 = -2 - min(0,-1,0) = -1; C12 = 0+min(-1,-1) = -1; C13 = 0+min(-1,-1,-1) = -1.
        Assert.Equal(-1f, OrderedTemporalAlignment.CumulativeCost(p)[1, 3]);

        // d0 = -2: rows [1:] only are zeroed in the last column.
        float[,] q = OrderedTemporalAlignment.Pad(new float[,] { { -1 }, { -2 }, { -3 }, { -4 } }, 2, 2);
        Assert.Equal(new float[,] { { 0, -1, 0, Inf }, { 0, -2, 0, 0 } }, q);
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Throws<ArgumentException>(() => OrderedTemporalAlignment.CumulativeCost(new float[2, 2]));
        Assert.Throws<ArgumentException>(() => OrderedTemporalAlignment.Pad(new float[0, 2], 2, 2));
        Assert.Throws<ArgumentException>(() => OrderedTemporalAlignment.Pad(new float[1, 1], 1, 0));
    }

    private static float[] Row(float[,] m, int r) => Enumerable.Range(0, m.GetLength(1)).Select(c => m[r, c]).ToArray();
}
