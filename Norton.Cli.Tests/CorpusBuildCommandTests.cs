using Norton.Training.Corpus;
using Xunit;

namespace Norton.Cli.Tests;

/// <summary>tokenize-captions then build-corpus on hand-made captions and features.</summary>
public sealed class CorpusBuildCommandTests
{
    private const string Captions = """
        {"vid_b": {"start": [0.0, 2.5], "end": [2.0, 4.0], "text": ["Now cut the ONION into small pieces", "then fry it"]},
         "vid_a": {"start": [1.0], "end": [3.0], "text": ["add salt"]},
         "vid_c": {"start": [0.0], "end": [1.0], "text": ["no features for this one"]}}
        """;

    [Fact]
    public void TokenizeThenBuildMakesACorpusOfTheVideosWithBoth()
    {
        string dir = CliInvoke.Temp();
        string json = Path.Combine(dir, "captions.json");
        File.WriteAllText(json, Captions);
        string tokens = Path.Combine(dir, "tokens");
        var tokenized = CliInvoke.Run("tokenize-captions", json, "--output", tokens);
        Assert.True(tokenized.Code == 0, tokenized.Error);
        Assert.Contains("3 videos, 4 captions", tokenized.Output);

        var pre = new CaptionPretokenizer();
        var entries = TokenizedCaptionFile.Read(tokens).ToList();
        Assert.Equal(["vid_a", "vid_b", "vid_c"], entries.Select(e => e.Video));
        Assert.Equal(pre.Encode("then fry it"), entries[1].Ids[1]);
        Assert.Equal([2.5, 4.0], [entries[1].Start[1], entries[1].End[1]]);
        // bert-base-uncased without [CLS]/[SEP]: "add" = 5587, "salt" = 5474.
        Assert.Equal([5587, 5474], entries[0].Ids[0]);

        string features = Path.Combine(dir, "features");
        Directory.CreateDirectory(features);
        var a = Values(3, 1);
        var b = Values(5, 2);
        NpyWriter.WriteFloat16(Path.Combine(features, "vid_a.npy"), a, 3, 512);
        NpyWriter.WriteFloat16(Path.Combine(features, "vid_b.npy"), b, 5, 512);
        NpyWriter.WriteFloat16(Path.Combine(features, "vid_d.npy"), Values(2, 3), 2, 512);

        string corpus = Path.Combine(dir, "corpus");
        var built = CliInvoke.Run("build-corpus", "--features", features, "--captions", tokens, "--output", corpus, "--shard-size", "1");
        Assert.True(built.Code == 0, built.Error);
        Assert.Contains("2 train videos", built.Output);
        Assert.Contains("skipped 1 captioned videos without features and 1 feature files without captions", built.Output);
        Assert.True(File.Exists(Path.Combine(corpus, "train_1_data.npy")));   // one video per shard

        using var opened = PretrainingCorpus.Open(corpus);
        Assert.Equal(["vid_a", "vid_b"], opened.VideoIds);
        var video = opened.Read("vid_b");
        Assert.Equal(b.Select(v => (float)v), video.Features);
        Assert.Equal(pre.Encode("Now cut the ONION into small pieces"), video.Tokens[0]);
        Assert.Equal(2.5, video.Start[1]);
    }

    [Fact]
    public void MissingOrMalformedInputsExitTwoNamingTheFile()
    {
        string dir = CliInvoke.Temp();
        var missing = CliInvoke.Run("tokenize-captions", Path.Combine(dir, "none.json"), "--output", dir);
        Assert.Equal(2, missing.Code);
        Assert.Contains("none.json", missing.Error);

        string bad = Path.Combine(dir, "bad.json");
        File.WriteAllText(bad, """{"v": {"start": [0.0, 1.0], "end": [1.0], "text": ["a", "b"]}}""");
        var malformed = CliInvoke.Run("tokenize-captions", bad, "--output", dir);
        Assert.Equal(2, malformed.Code);
        Assert.Contains("bad.json", malformed.Error);

        var noCaptions = CliInvoke.Run("build-corpus", "--features", dir, "--captions", Path.Combine(dir, "tokens"), "--output", Path.Combine(dir, "c"));
        Assert.Equal(2, noCaptions.Code);
        Assert.Contains(TokenizedCaptionFile.FileName, noCaptions.Error);
    }

    private static Half[] Values(int seconds, int seed) =>
        Enumerable.Range(0, seconds * 512).Select(i => (Half)(((i * 7 + seed * 13) % 29 - 14) / 16.0)).ToArray();
}
