using Norton.Training.Batching;
using Norton.Training.Corpus;
using Norton.Training.Sampling;
using Norton.Training.Tests.Corpus;
using Xunit;

namespace Norton.Training.Tests.Batching;

/// <summary>The feeder's batches: layout, determinism, errors from its thread.</summary>
public class BatchFeederTests
{
    private static readonly SyntheticCorpusOptions Small = new() { FeatureDim = 8, MinSeconds = 20, MaxSeconds = 40 };

    [Fact]
    public void BatchesAreVideoMajorAndComeFromTheirVideos()
    {
        using var folder = new TempFolder();
        var ids = SyntheticCorpus.Write(folder.Path, 12, 3, Small);
        using var corpus = PretrainingCorpus.Open(folder.Path);
        string[][] plan = { ids.Take(5).ToArray(), ids.Skip(5).ToArray() };
        using var feeder = new BatchFeeder(corpus, plan, new SplitMix64(9), prefetch: 1);
        var batches = new List<TrainingBatch>();
        while (feeder.TryTake(out var batch)) batches.Add(batch);

        Assert.Equal(2, batches.Count);
        Assert.Equal(plan[1], batches[1].VideoIds);
        foreach (var batch in batches)
        {
            Assert.Equal(batch.VideoIds.Count * 16, batch.Rows);
            Assert.Equal(batch.Rows * 16 * 8, batch.VideoFeatures.Length);
            for (int row = 0; row < batch.Rows; row++)
            {
                var video = corpus.Read(batch.VideoIds[row / 16]);
                // Caption rows: [CLS] [SEP] words [SEP] then padding, mask on the non-pad prefix.
                Assert.Equal(101, batch.Caps[row * 32]);
                Assert.Equal(102, batch.Caps[row * 32 + 1]);
                int length = batch.CapsMask.Skip(row * 32).Take(32).TakeWhile(m => m).Count();
                Assert.Equal(102, batch.Caps[row * 32 + length - 1]);
                Assert.All(batch.Caps.Skip(row * 32 + length).Take(32 - length), id => Assert.Equal(0, id));
                // Video rows: 3-16 consecutive seconds of the row's own video, then zeros.
                int seconds = batch.VideoMask.Skip(row * 16).Take(16).TakeWhile(m => m).Count();
                Assert.InRange(seconds, 3, 16);
                var first = batch.VideoFeatures.AsSpan(row * 16 * 8, 8).ToArray();
                int at = Enumerable.Range(0, video.Seconds).First(t => video.Features.AsSpan(t * 8, 8).SequenceEqual(first));
                Assert.True(video.Features.AsSpan(at * 8, seconds * 8).SequenceEqual(batch.VideoFeatures.AsSpan(row * 16 * 8, seconds * 8)));
                Assert.All(batch.VideoFeatures.Skip(row * 16 * 8 + seconds * 8).Take((16 - seconds) * 8), x => Assert.Equal(0f, x));
            }
        }

        // Same seed, same batches, whatever the thread timing: the feeder equals building the batches in order.
        var sampler = new OverlappedClipSampler();
        var random = new SplitMix64(9);
        foreach (var (ids0, batch) in plan.Zip(batches))
        {
            var direct = BatchFeeder.Build(corpus, ids0, sampler, random);
            Assert.Equal(direct.Caps, batch.Caps);
            Assert.Equal(direct.VideoFeatures, batch.VideoFeatures);
        }
    }

    [Fact]
    public void AResumableFeederRestartedMidEpochYieldsTheSameBatches()
    {
        using var folder = new TempFolder();
        var ids = SyntheticCorpus.Write(folder.Path, 8, 4, Small);
        using var corpus = PretrainingCorpus.Open(folder.Path);
        var plan = ids.Chunk(2).ToArray();
        var whole = new List<TrainingBatch>();
        using (var feeder = BatchFeeder.Resumable(corpus, plan, seed: 77))
            while (feeder.TryTake(out var batch)) whole.Add(batch);
        var resumed = new List<TrainingBatch>();
        using (var feeder = BatchFeeder.Resumable(corpus, plan, seed: 77, firstBatch: 2))
        {
            Assert.Equal(2, feeder.Count);
            while (feeder.TryTake(out var batch)) resumed.Add(batch);
        }
        Assert.Equal(4, whole.Count);
        Assert.Equal(2, resumed.Count);
        for (int b = 0; b < 2; b++)
        {
            Assert.Equal(whole[b + 2].VideoIds, resumed[b].VideoIds);
            Assert.Equal(whole[b + 2].Caps, resumed[b].Caps);
            Assert.Equal(whole[b + 2].VideoFeatures, resumed[b].VideoFeatures);
        }
        // Several workers build the same batches, delivered in order.
        using (var feeder = BatchFeeder.Resumable(corpus, plan, seed: 77, prefetch: 3, workers: 3))
            for (int b = 0; b < 4; b++)
            {
                Assert.True(feeder.TryTake(out var batch));
                Assert.Equal(whole[b].VideoIds, batch.VideoIds);
                Assert.Equal(whole[b].Caps, batch.Caps);
                Assert.Equal(whole[b].VideoFeatures, batch.VideoFeatures);
            }
        // Batch b draws from its own seed: building it alone gives the same rows.
        var alone = BatchFeeder.Build(corpus, plan[3], new OverlappedClipSampler(), new SplitMix64(BatchFeeder.BatchSeed(77, 3)));
        Assert.Equal(whole[3].Caps, alone.Caps);
        Assert.NotEqual(whole[0].Caps, whole[1].Caps);
    }

    [Fact]
    public void ABrokenVideoFailsTheTakeThatNeedsIt()
    {
        using var folder = new TempFolder();
        var ids = SyntheticCorpus.Write(folder.Path, 3, 1, Small);
        // Overwrite the first caption time of the last video with NaN: the file is float32 rows (start, end).
        string times = Path.Combine(folder.Path, "captions.bert-base-uncased.train_0.startends");
        using (var corpus0 = PretrainingCorpus.Open(folder.Path))
        {
            int before = ids.Take(2).Sum(id => corpus0.Read(id).CaptionCount);
            using var stream = new FileStream(times + "_data.npy", FileMode.Open);
            stream.Seek(128 + before * 8, SeekOrigin.Begin);
            stream.Write(BitConverter.GetBytes(float.NaN));
        }
        using var corpus = PretrainingCorpus.Open(folder.Path);
        using var feeder = new BatchFeeder(corpus, new[] { new[] { ids[0] }, new[] { ids[2] } }, new SplitMix64(1));
        Assert.True(feeder.TryTake(out _));
        var e = Assert.Throws<InvalidOperationException>(() => feeder.TryTake(out _));
        Assert.Contains($"video '{ids[2]}'", e.InnerException!.Message);
        Assert.Throws<ArgumentException>(() => new BatchFeeder(corpus, new[] { new[] { "nope" } }, new SplitMix64(1)));
    }
}
