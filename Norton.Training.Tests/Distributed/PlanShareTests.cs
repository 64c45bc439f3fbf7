using Norton.Models;
using Norton.Training.Batching;
using Norton.Training.Sampling;
using Norton.Training.Tests.Training;
using Xunit;

namespace Norton.Training.Tests.Distributed;

/// <summary>What the ranks of a data-parallel run plan (ITrainingData.PlanShare): disjoint shares of the videos.</summary>
public sealed class PlanShareTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SyntheticShares_AreDisjointBatchesOfEachRanksOwnVideos(int size)
    {
        var data = TinySetup.Data(videos: 12);
        using var model = new VideoTextModel(TinySetup.Model);
        var seen = new List<string>();
        for (int rank = 0; rank < size; rank++)
        {
            var plan = data.PlanShare(1, false, model, new SplitMix64((ulong)rank), rank, size);
            Assert.All(plan, b => Assert.Equal(data.VideosPerBatch, b.Count));
            // Rank r's videos are train{r}, train{r + size}, ...: the strided share of the video list.
            Assert.All(plan.SelectMany(b => b), id => Assert.Equal(rank, int.Parse(id["train".Length..], System.Globalization.CultureInfo.InvariantCulture) % size));
            seen.AddRange(plan.SelectMany(b => b));
        }
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(12, seen.Count); // 12 / size videos per rank, a whole number of batches of 2
    }

    [Fact]
    public void TheDefault_KeepsEverySizethBatchOfTheWholeEpochsPlan()
    {
        var data = new PlanOnly();
        using var model = new VideoTextModel(TinySetup.Model);
        ITrainingData seam = data;
        var share = seam.PlanShare(1, false, model, new SplitMix64(1), 1, 3);
        Assert.Equal([["b1"], ["b4"]], share.Select(b => b.ToArray()).ToArray());
    }

    private sealed class PlanOnly : ITrainingData
    {
        public int FeatureDim => 8;

        public IReadOnlyList<IReadOnlyList<string>> PlanEpoch(int epoch, bool retrieval, VideoTextModel model, IRandomSource random) =>
            Enumerable.Range(0, 6).Select(i => (IReadOnlyList<string>)[$"b{i}"]).ToList();

        public TrainingBatch LoadBatch(IReadOnlyList<string> videoIds, IRandomSource random) => throw new NotSupportedException();

        public IReadOnlyList<IReadOnlyList<string>> ValidationPlan() => [];
    }
}
