using Xunit;
using Norton.Training.Distributed;

namespace Norton.Training.Tests.Distributed;

public sealed class DataShareTests
{
    [Theory]
    [InlineData(10, 1)]
    [InlineData(10, 3)]
    [InlineData(2, 4)]
    public void Shares_AreDisjoint_CoverEverything_AndDifferByAtMostOne(int count, int size)
    {
        var items = Enumerable.Range(0, count).ToList();
        var shares = Enumerable.Range(0, size).Select(r => DataShare.ShareOf(items, r, size)).ToList();
        Assert.Equal(items, shares.SelectMany(s => s).Order());
        Assert.True(shares.Max(s => s.Count) - shares.Min(s => s.Count) <= 1);
    }

    [Fact]
    public void AShare_IsStrided_AsDistributedSamplerWithoutShuffling() =>
        Assert.Equal([1, 4, 7], DataShare.ShareOf(Enumerable.Range(0, 10).ToList(), 1, 3));

    [Fact]
    public void Steps_TakeBatch_StepTimesSizePlusRank_AndDropTheRemainder()
    {
        Assert.Equal(3, DataShare.StepsPerEpoch(7, 2));
        var taken = new List<long>();
        for (long step = 0; step < DataShare.StepsPerEpoch(7, 2); step++)
            for (int rank = 0; rank < 2; rank++)
                taken.Add(DataShare.BatchIndex(step, rank, 2));
        Assert.Equal([0L, 1, 2, 3, 4, 5], taken);
        Assert.Equal(5, DataShare.BatchIndex(5, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataShare.BatchIndex(0, 2, 2));
    }

    [Fact]
    public void EpochSeeds_AreTheSameForTheSameRunSeed_AndDifferBetweenEpochs()
    {
        Assert.Equal(DataShare.EpochSeed(42, 3), DataShare.EpochSeed(42, 3));
        Assert.NotEqual(DataShare.EpochSeed(42, 3), DataShare.EpochSeed(42, 4));
        Assert.Equal(new Norton.Training.Sampling.SplitMix64(45).Next(), DataShare.EpochSeed(42, 3));
    }

    [Fact]
    public void Shuffled_IsAFisherYatesPermutation_TheSameForTheSameSeed()
    {
        var items = Enumerable.Range(0, 20).ToList();
        var once = DataShare.Shuffled(items, 7);
        Assert.Equal(once, DataShare.Shuffled(items, 7));
        Assert.NotEqual(items, once);
        Assert.Equal(items, once.Order());
        // By hand for 3 items: i = 2 swaps with RandInt(0, 2), then i = 1 with RandInt(0, 1).
        var random = new Norton.Training.Sampling.SplitMix64(7);
        var expected = new[] { 'a', 'b', 'c' };
        for (int i = 2; i > 0; i--)
        {
            int j = (int)random.RandInt(0, i);
            (expected[i], expected[j]) = (expected[j], expected[i]);
        }
        Assert.Equal(expected, DataShare.Shuffled(['a', 'b', 'c'], 7));
    }

    [Fact]
    public void RankSeeds_DifferBetweenRanksAndEpochs_AndRepeat()
    {
        var seeds = new[] { DataShare.RankSeed(5, 1, 0), DataShare.RankSeed(5, 1, 1), DataShare.RankSeed(5, 2, 0), DataShare.RankSeed(9, 1, 0) };
        Assert.Equal(seeds.Length, seeds.Distinct().Count());
        Assert.Equal(seeds[1], DataShare.RankSeed(5, 1, 1));
    }
}
