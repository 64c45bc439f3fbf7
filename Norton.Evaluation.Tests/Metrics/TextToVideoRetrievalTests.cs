using Norton.Evaluation.Metrics;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Evaluation.Tests.Metrics;

public class TextToVideoRetrievalTests
{
    [Fact]
    public void PerfectRankingGivesFullRecallAndMedianRankOne()
    {
        // Each text's own video scores 1, every other 0: all ranks 0, MR = median(0,0,0)+1 = 1.
        using var s = tensor(new float[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } });
        var r = TextToVideoRetrieval.Evaluate(s);
        Assert.Equal(new[] { 0, 0, 0 }, r.Ranks);
        Assert.Equal((1.0, 1.0, 1.0, 1.0), (r.R1, r.R5, r.R10, r.MedianRank));
    }

    [Fact]
    public void WorstRankingOfTwelveGivesZeroRecallAndMedianRankTwelve()
    {
        // Own video 0, the 11 others 1: every rank is 11 (≥ 10), so R@1 = R@5 = R@10 = 0 and MR = 11+1.
        var m = new float[12, 12];
        for (int i = 0; i < 12; i++)
            for (int j = 0; j < 12; j++)
                m[i, j] = i == j ? 0 : 1;
        using var s = tensor(m);
        var r = TextToVideoRetrieval.Evaluate(s);
        Assert.All(r.Ranks, x => Assert.Equal(11, x));
        Assert.Equal((0.0, 0.0, 0.0, 12.0), (r.R1, r.R5, r.R10, r.MedianRank));
    }

    [Fact]
    public void TiesRankHigherColumnsFirst()
    {
        // All equal: rank_i = #{j > i} = 2, 1, 0 (stable ascending argsort read backwards).
        // R@1 = 1/3, R@5 = 1, MR = median(2,1,0)+1 = 2.
        using var s = tensor(new float[,] { { 1, 1, 1 }, { 1, 1, 1 }, { 1, 1, 1 } });
        var r = TextToVideoRetrieval.Evaluate(s);
        Assert.Equal(new[] { 2, 1, 0 }, r.Ranks);
        Assert.Equal(1.0 / 3, r.R1, 12);
        Assert.Equal(1.0, r.R5);
        Assert.Equal(2.0, r.MedianRank);
    }

    [Fact]
    public void TieWithALowerColumnDoesNotCostARank()
    {
        // Row 0 [5,5,0], target 0: column 1 ties and is higher, so rank 1.
        // Row 1 [5,5,0], target 1: column 0 ties but is lower, so rank 0.
        using var s = tensor(new float[,] { { 5, 5, 0 }, { 5, 5, 0 } });
        Assert.Equal(new[] { 1, 0 }, TextToVideoRetrieval.Evaluate(s).Ranks);
    }

    [Fact]
    public void EvenQueryCountAveragesTheTwoMiddleRanks()
    {
        // Row 0 [1,2]: column 1 is larger, rank 1. Row 1 [0,5]: rank 0. MR = (0+1)/2 + 1 = 1.5; R@1 = 0.5.
        using var s = tensor(new double[,] { { 1, 2 }, { 0, 5 } });
        var r = TextToVideoRetrieval.Evaluate(s);
        Assert.Equal(1.5, r.MedianRank);
        Assert.Equal(0.5, r.R1);
    }

    [Fact]
    public void FewerQueriesThanVideosIsAllowed()
    {
        // 2 texts, 6 videos. Row 0: 4 scores above 0.5 -> rank 4 (in top 5, not top 1). Row 1: rank 0.
        using var s = tensor(new float[,] { { 0.5f, 0.9f, 0.8f, 0.7f, 0.6f, 0.1f }, { 0, 1, 0, 0, 0, 0 } });
        var r = TextToVideoRetrieval.Evaluate(s);
        Assert.Equal(new[] { 4, 0 }, r.Ranks);
        Assert.Equal((0.5, 1.0), (r.R1, r.R5));
    }

    [Fact]
    public void BadInputIsRejectedWithItsShape()
    {
        using var vector = zeros(3);
        using var empty = zeros(0, 3);
        using var tall = zeros(3, 2);
        using var ints = zeros(2, 2, dtype: ScalarType.Int32);
        using var nan = tensor(new float[,] { { 1, float.NaN }, { 0, 1 } });
        Assert.Contains("[3]", Assert.Throws<ArgumentException>(() => TextToVideoRetrieval.Evaluate(vector)).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => TextToVideoRetrieval.Evaluate(empty)).Message);
        Assert.Contains("3 query rows", Assert.Throws<ArgumentException>(() => TextToVideoRetrieval.Evaluate(tall)).Message);
        Assert.Contains("Int32", Assert.Throws<ArgumentException>(() => TextToVideoRetrieval.Evaluate(ints)).Message);
        Assert.Contains("NaN at [0, 1]", Assert.Throws<ArgumentException>(() => TextToVideoRetrieval.Evaluate(nan)).Message);
    }
}
