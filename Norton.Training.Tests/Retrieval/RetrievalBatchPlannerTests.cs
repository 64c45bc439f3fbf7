using Norton.Training.Retrieval;
using Norton.Training.Sampling;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Training.Tests.Retrieval;

/// <summary>Retrieval-augmented and random batches.</summary>
public class RetrievalBatchPlannerTests
{
    private static readonly TorchSharp.Scalar Spread = 20.0;

    [Fact]
    public void RandomBatchesKeepMultiplesOfEightBatchesOfDistinctIds()
    {
        var ids = Enumerable.Range(0, 1100).Select(i => $"v{i}").ToArray();
        var batches = RetrievalBatchPlanner.RandomBatches(ids, new SplitMix64(4));
        Assert.Equal(16, batches.Count);                       // (1100 / 512) * 8
        Assert.All(batches, b => Assert.Equal(64, b.Length));
        var all = batches.SelectMany(b => b).ToArray();
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.NotEqual(ids.Take(64), batches[0]);             // shuffled
        // A corpus smaller than 8 batches still gets its whole batches.
        Assert.Equal(4, RetrievalBatchPlanner.RandomBatches(ids.Take(300).ToArray(), new SplitMix64(4)).Count);
    }

    [Fact]
    public void RetrievedBatchesGatherTheQuerysCluster()
    {
        // 8 well-separated clusters of 128 vectors: every list is one cluster, every batch 64 videos of one cluster.
        using var scope = NewDisposeScope();
        var gen = new Generator(5);
        var centres = randn(8, 16, generator: gen).mul(Spread);
        var labels = arange(8).repeat_interleave(128L);
        var vectors = centres.index_select(0, labels).add(randn(1024, 16, generator: gen));
        var perm = randperm(1024, generator: gen);
        vectors = vectors.index_select(0, perm);
        long[] cluster = labels.index_select(0, perm).data<long>().ToArray();
        var ids = Enumerable.Range(0, 1024).Select(i => $"v{i}").ToArray();

        var batches = RetrievalBatchPlanner.Plan(ids, vectors, new SplitMix64(2),
            new RetrievalOptions { Centroids = 8, ExamplesPerCentroidToTrain = 48 });

        Assert.Equal(16, batches.Count);                       // 1024 / 64 queries
        foreach (var batch in batches)
        {
            Assert.Equal(64, batch.Length);                    // [query] + 127 neighbours, cut to 64
            Assert.Equal(64, batch.Distinct().Count());
            Assert.Single(batch.Select(id => cluster[int.Parse(id[1..])]).Distinct());
        }
    }

    [Fact]
    public void CandidateListDropsTheQueryAndEmptyPlaces() =>
        Assert.Equal(new long[] { 7, 3, 9 }, RetrievalBatchPlanner.CandidateList(7, new long[] { 7, 3, 9, -1, -1 }));
}
