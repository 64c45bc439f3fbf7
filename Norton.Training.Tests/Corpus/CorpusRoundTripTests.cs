using Norton.Models.Data;
using Norton.Training.Corpus;
using Norton.Training.Sampling;
using Xunit;

namespace Norton.Training.Tests.Corpus;

/// <summary>A corpus written by <see cref="CorpusWriter"/> reads back identically, through <see cref="PretrainingCorpus"/> and the Norton.Models readers.</summary>
public class CorpusRoundTripTests
{
    private sealed record Video(string Id, float[] Features, double[] Start, double[] End, int[][] Tokens);

    private static List<Video> RandomVideos(int count, int dim, ulong seed)
    {
        var random = new SplitMix64(seed);
        var videos = new List<Video>();
        for (int v = 0; v < count; v++)
        {
            int seconds = (int)random.RandInt(1, 30), captions = (int)random.RandInt(1, 6);
            var features = Enumerable.Range(0, seconds * dim).Select(_ => (float)(random.Random() * 4 - 2)).ToArray();
            var start = Enumerable.Range(0, captions).Select(c => (double)(float)(c * 3.25 + random.Random())).ToArray();
            var end = start.Select(s => (double)(float)(s + 1 + random.Random() * 5)).ToArray();
            // 0-40 ids per caption: the writer keeps the first 32.
            var tokens = Enumerable.Range(0, captions).Select(_ => Enumerable.Range(0, (int)random.RandInt(0, 40)).Select(_ => (int)random.RandInt(0, 30521)).ToArray()).ToArray();
            videos.Add(new Video($"vid{v}", features, start, end, tokens));
        }
        return videos;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WrittenVideosReadBackIdentically(bool float16)
    {
        using var folder = new TempFolder();
        var videos = RandomVideos(11, 8, 5);
        using (var writer = new CorpusWriter(folder.Path, new CorpusWriterOptions { ShardSize = 4, Float16Features = float16 }))
        {
            foreach (var v in videos) writer.AddTokenized(v.Id, v.Features, 8, v.Start, v.End, v.Tokens);
            writer.Complete();
        }

        // 11 videos in shards of 4: 3 shards, in the order added.
        var meta = ShardMeta.Read(Path.Combine(folder.Path, "train_meta.pkl"));
        Assert.Equal(new[] { 0, 1, 2 }, meta.Shards.Keys.OrderBy(k => k).ToArray());
        Assert.Equal(new[] { "vid8", "vid9", "vid10" }, meta.Shards[2]);

        using var corpus = PretrainingCorpus.Open(folder.Path);
        Assert.Equal(videos.Select(v => v.Id), corpus.VideoIds);
        Assert.Equal(8, corpus.FeatureDim);
        foreach (var expected in videos)
        {
            var read = corpus.Read(expected.Id);
            var features = float16 ? expected.Features.Select(x => (float)(Half)x).ToArray() : expected.Features;
            Assert.Equal(features, read.Features);
            Assert.Equal(expected.Features.Length / 8, corpus.Seconds(expected.Id));
            Assert.Equal(expected.Start, read.Start);
            Assert.Equal(expected.End, read.End);
            Assert.Equal(expected.Tokens.Select(t => t.Take(32).ToArray()), read.Tokens);
        }

        // The Norton.Models readers (the original's format) agree.
        using var shard = ShardedTensor.Open(Path.Combine(folder.Path, "train_1"));
        Assert.Equal(4, shard.Count);
        Assert.Equal(float16 ? NpyElementType.Float16 : NpyElementType.Float32, shard.ElementType);
        using var captions = CaptionShard.Open(Path.Combine(folder.Path, "captions.bert-base-uncased.train_1"));
        var fromModels = captions.Read(2);
        Assert.Equal(videos[6].Tokens.Select(t => t.Take(32).ToArray()), fromModels.Tokens);
        Assert.Equal(videos[6].Start.Select(x => (float)x), fromModels.Start);
    }

    [Fact]
    public void SyntheticCorpusIsDeterministicAndReadable()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        var options = new SyntheticCorpusOptions { FeatureDim = 16, MinSeconds = 20, MaxSeconds = 30 };
        var ids = SyntheticCorpus.Write(a.Path, 6, 42, options);
        SyntheticCorpus.Write(b.Path, 6, 42, options);
        Assert.Equal(6, ids.Count);
        foreach (string name in Directory.EnumerateFiles(a.Path).Select(f => Path.GetFileName(f)))
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.Path, name)), File.ReadAllBytes(Path.Combine(b.Path, name)));

        using var corpus = PretrainingCorpus.Open(a.Path);
        Assert.Equal(ids, corpus.VideoIds);
        var video = corpus.Read(ids[0]);
        Assert.InRange(video.Seconds, 20, 30);
        // Unit-norm features (to float16 rounding), captions of real words (filler + phrase: 4-6 word pieces).
        for (int t = 0; t < video.Seconds; t++)
            Assert.Equal(1.0, Math.Sqrt(video.Features.AsSpan(t * 16, 16).ToArray().Sum(x => (double)x * x)), 2);
        Assert.All(video.Tokens, t => Assert.InRange(t.Length, 3, 8));
        Assert.True(video.End.Last() <= video.Seconds + 1.0);
    }

    [Fact]
    public void PretokenizationCutsTo96CharactersAnd32Ids()
    {
        var pretokenizer = new CaptionPretokenizer();
        Assert.Equal(new[] { 7592, 2088 }, pretokenizer.Encode("Hello world"));
        // 60 "a b" pairs: 96 characters keep 48 single-letter words; then 32 ids.
        Assert.Equal(Enumerable.Repeat(new[] { 1037, 1038 }, 16).SelectMany(x => x), pretokenizer.Encode(string.Concat(Enumerable.Repeat("a b ", 60))));
        // The cut counts characters, not ids: 95 spaces then "hello" keeps only "h".
        Assert.Equal(new[] { 1044 }, pretokenizer.Encode(new string(' ', 95) + "hello"));
    }
}
