using Norton.Models.Data;
using Norton.Training.Corpus;
using Xunit;

namespace Norton.Training.Tests.Corpus;

/// <summary>Broken corpora fail with an exception that names the file and the video, at open or at read.</summary>
public class CorpusBadInputTests
{
    private sealed record RawVideo(string Id, int Seconds, float[] Times, int[] Ids);

    private static RawVideo Good(string id) => new(id, 3, new float[] { 0.5f, 2f, 2f, 3.5f }, Row(2, 7592, 2088));

    /// <summary>One caption row per 32 ids, −1 padded.</summary>
    private static int[] Row(int captions, params int[] ids)
    {
        var rows = Enumerable.Repeat(-1, 32 * captions).ToArray();
        for (int c = 0; c < captions; c++) ids.CopyTo(rows, 32 * c);
        return rows;
    }

    /// <summary>Writes one shard with the raw writers (no validation), meta listing <paramref name="metaIds"/>.</summary>
    private static void WriteRaw(string folder, IReadOnlyList<RawVideo> videos, IReadOnlyList<string>? metaIds = null)
    {
        using (var features = new ShardedTensorWriter(Path.Combine(folder, "train_0"), NpyElementType.Float16, 4))
        using (var times = new ShardedTensorWriter(Path.Combine(folder, "captions.bert-base-uncased.train_0.startends"), NpyElementType.Float32, 2))
        using (var ids = new ShardedTensorWriter(Path.Combine(folder, "captions.bert-base-uncased.train_0.caps_ids"), NpyElementType.Int32, 32))
        {
            foreach (var v in videos)
            {
                features.Append(new float[v.Seconds * 4]);
                times.Append(v.Times);
                ids.Append(v.Ids);
            }
            features.Complete();
            times.Complete();
            ids.Complete();
        }
        MetaPickleWriter.Write(Path.Combine(folder, "train_meta.pkl"),
            new Dictionary<int, IReadOnlyList<string>> { [0] = metaIds ?? videos.Select(v => v.Id).ToArray() });
    }

    private static TException OpenFails<TException>(string folder) where TException : Exception =>
        Assert.Throws<TException>(() => PretrainingCorpus.Open(folder).Dispose());

    [Fact]
    public void AGoodRawCorpusOpens()
    {
        using var folder = new TempFolder();
        WriteRaw(folder.Path, new[] { Good("a"), Good("b") });
        using var corpus = PretrainingCorpus.Open(folder.Path);
        Assert.Equal(new[] { 7592, 2088 }, corpus.Read("b").Tokens[1]);
        Assert.Throws<KeyNotFoundException>(() => corpus.Read("c"));
    }

    [Fact]
    public void MissingMetaOrShardFileIsNamed()
    {
        using var folder = new TempFolder();
        Assert.Contains("train_meta.pkl", OpenFails<FileNotFoundException>(folder.Path).Message);
        WriteRaw(folder.Path, new[] { Good("a") });
        string caps = Path.Combine(folder.Path, "captions.bert-base-uncased.train_0.caps_ids_data.npy");
        File.Delete(caps);
        Assert.Contains(caps, OpenFails<FileNotFoundException>(folder.Path).Message);
    }

    [Fact]
    public void TruncatedShardIsNamed()
    {
        using var folder = new TempFolder();
        WriteRaw(folder.Path, new[] { Good("a"), Good("b") });
        string data = Path.Combine(folder.Path, "train_0_data.npy");
        using (var stream = new FileStream(data, FileMode.Open)) stream.SetLength(stream.Length - 3);
        var e = OpenFails<InvalidDataException>(folder.Path);
        Assert.Contains(data, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void MetaNamingAVideoNoShardHoldsIsNamed()
    {
        using var folder = new TempFolder();
        WriteRaw(folder.Path, new[] { Good("a") }, new[] { "a", "ghost" });
        var e = OpenFails<InvalidDataException>(folder.Path);
        Assert.Contains("'ghost'", e.Message);
        Assert.Contains("train_meta.pkl", e.Message);
    }

    [Fact]
    public void VideoWithoutCaptionsOrSecondsIsNamed()
    {
        using var folder = new TempFolder();
        WriteRaw(folder.Path, new[] { Good("a"), new RawVideo("silent", 3, Array.Empty<float>(), Array.Empty<int>()) });
        var e = OpenFails<InvalidDataException>(folder.Path);
        Assert.Contains("'silent' has no captions", e.Message);
        Assert.Contains("startends_data.npy", e.Message);

        using var other = new TempFolder();
        WriteRaw(other.Path, new[] { Good("a") with { Seconds = 0, Id = "empty" } });
        e = OpenFails<InvalidDataException>(other.Path);
        Assert.Contains("'empty' has no seconds of features", e.Message);
        Assert.Contains("train_0_data.npy", e.Message);
    }

    [Theory]
    [InlineData(float.NaN, 2f)]
    [InlineData(-1f, 2f)]
    [InlineData(1f, float.NegativeInfinity)]
    public void BadCaptionTimesFailWhenTheVideoIsRead(float start, float end)
    {
        using var folder = new TempFolder();
        WriteRaw(folder.Path, new[] { Good("a"), Good("b") with { Times = new[] { 0.5f, 2f, start, end } } });
        using var corpus = PretrainingCorpus.Open(folder.Path);
        corpus.Read("a");
        var e = Assert.Throws<InvalidDataException>(() => corpus.Read("b"));
        Assert.Contains("video 'b', caption 1", e.Message);
        Assert.Contains("startends_data.npy", e.Message);
    }

    [Theory]
    [InlineData(30522)]
    [InlineData(-5)]
    public void TokenIdsOutsideTheVocabularyFailWhenTheVideoIsRead(int id)
    {
        using var folder = new TempFolder();
        WriteRaw(folder.Path, new[] { Good("a") with { Ids = Row(2, 101, id) } });
        using var corpus = PretrainingCorpus.Open(folder.Path);
        var e = Assert.Throws<InvalidDataException>(() => corpus.Read("a"));
        Assert.Contains($"video 'a', caption 0: token id {id}", e.Message);
        Assert.Contains("caps_ids_data.npy", e.Message);
    }

    [Fact]
    public void TheWriterRefusesBadVideos()
    {
        using var folder = new TempFolder();
        using var writer = new CorpusWriter(folder.Path);
        var features = new float[8];
        int[][] tokens = { new[] { 7592 } };
        Assert.Contains("'x'", Assert.Throws<ArgumentException>(() => writer.AddTokenized("x", features, 4, Array.Empty<double>(), Array.Empty<double>(), Array.Empty<int[]>())).Message);
        Assert.Contains("'x'", Assert.Throws<ArgumentException>(() => writer.AddTokenized("x", Array.Empty<float>(), 4, new[] { 0.0 }, new[] { 1.0 }, tokens)).Message);
        Assert.Contains("'x', caption 0", Assert.Throws<ArgumentException>(() => writer.AddTokenized("x", features, 4, new[] { double.NaN }, new[] { 1.0 }, tokens)).Message);
        Assert.Contains("token id 40000", Assert.Throws<ArgumentException>(() => writer.AddTokenized("x", features, 4, new[] { 0.0 }, new[] { 1.0 }, new[] { new[] { 40000 } })).Message);
        writer.AddTokenized("x", features, 4, new[] { 0.0 }, new[] { 1.0 }, tokens);
        Assert.Contains("already", Assert.Throws<ArgumentException>(() => writer.AddTokenized("x", features, 4, new[] { 0.0 }, new[] { 1.0 }, tokens)).Message);
    }
}
