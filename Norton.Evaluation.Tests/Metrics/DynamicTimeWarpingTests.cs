using Norton.Evaluation.Metrics;
using Xunit;

namespace Norton.Evaluation.Tests.Metrics;

public class DynamicTimeWarpingTests
{
    private const float Inf = float.PositiveInfinity;

    [Fact]
    public void CumulativeCostOnThreeByThree()
    {
        // Row 0: 1, 1+2=3, 3+3=6. Column 0: 1, 1+4=5, 5+7=12.
        // C11 = 5+min(1,5,3)=6; C12 = 6+min(3,6,6)=9; C21 = 8+min(5,12,6)=13; C22 = 9+min(6,13,9)=15.
        float[,] c = DynamicTimeWarping.CumulativeCost(new float[,] { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } });
        Assert.Equal(new float[,] { { 1, 3, 6 }, { 5, 6, 9 }, { 12, 13, 15 } }, c);
    }

    [Fact]
    public void CumulativeCostFollowsTheCheapDiagonal()
    {
        // Zeros on the diagonal, 5 elsewhere: the diagonal path costs 0.
        // Row 0: 0,5,10; column 0: 0,5,10; C11 = 0+min(0,5,5)=0; C12 = 5+min(5,0,10)=5; C21 = 5; C22 = 0+min(0,5,5)=0.
        float[,] c = DynamicTimeWarping.CumulativeCost(new float[,] { { 0, 5, 5 }, { 5, 0, 5 }, { 5, 5, 0 } });
        Assert.Equal(new float[,] { { 0, 5, 10 }, { 5, 0, 5 }, { 10, 5, 0 } }, c);
    }

    [Fact]
    public void PadFreesTheLastRowInThePaddedColumns()
    {
        // 2×2 -> 3×3: d0 = d1 = 1. Pad with +inf, then zero rows [-2:] (1, 2) × columns [-1:] (2).
        float[,] p = DynamicTimeWarping.Pad(new float[,] { { 1, 2 }, { 3, 4 } }, 3, 3);
        Assert.Equal(new float[,] { { 1, 2, Inf }, { 3, 4, 0 }, { Inf, Inf, 0 } }, p);
        // Row 0: 1, 3, inf. Column 0: 1, 4, inf. C11 = 4+min(1,4,3) = 5; C12 = 0+min(3,5,inf) = 3;
        // C21 = inf; C22 = 0+min(5,inf,3) = 3 = min(C[n-1,m-1]=5, C[n-2,m-1]=3): the last caption can be skipped.
        Assert.Equal(3f, DynamicTimeWarping.CumulativeCost(p)[2, 2]);
    }

    [Fact]
    public void PadWithNoExtraColumnsZeroesWholeRows()
    {
        // 2×3 -> 3×3: d0 = 1, d1 = 0, and Python's [-0:] takes every column, so rows 1 and 2 become 0.
        float[,] p = DynamicTimeWarping.Pad(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }, 3, 3);
        Assert.Equal(new float[,] { { 1, 2, 3 }, { 0, 0, 0 }, { 0, 0, 0 } }, p);
        // Only D[0,0] = 1 is ever paid: C = [[1,3,6],[1,1,1],[1,1,1]].
        Assert.Equal(1f, DynamicTimeWarping.CumulativeCost(p)[2, 2]);
    }

    [Fact]
    public void PadToTheSameSizeStillZeroesTheLastRow()
    {
        // d0 = d1 = 0: rows [-1:] × columns [-0:] (all) -> the last row costs nothing.
        Assert.Equal(new float[,] { { 1, 2 }, { 0, 0 } }, DynamicTimeWarping.Pad(new float[,] { { 1, 2 }, { 3, 4 } }, 2, 2));
    }

    [Fact]
    public void PadWithNegativeAmountsCrops()
    {
        // 3×3 -> 2×2: d0 = d1 = -1 crop; then rows [0:] (= [-(-1)-1:]) × columns [1:] (= [-(-1):]) become 0.
        float[,] p = DynamicTimeWarping.Pad(new float[,] { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } }, 2, 2);
        Assert.Equal(new float[,] { { 1, 0 }, { 4, 0 } }, p);
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Throws<ArgumentException>(() => DynamicTimeWarping.CumulativeCost(new float[0, 3]));
        Assert.Throws<ArgumentException>(() => DynamicTimeWarping.Pad(new float[2, 0], 2, 2));
        Assert.Contains("0 × 2", Assert.Throws<ArgumentException>(() => DynamicTimeWarping.Pad(new float[2, 2], 0, 2)).Message);
    }
}
