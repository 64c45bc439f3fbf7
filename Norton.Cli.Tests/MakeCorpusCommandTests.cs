using Norton.Training.Corpus;
using Xunit;

namespace Norton.Cli.Tests;

public sealed class MakeCorpusCommandTests
{
    [Fact]
    public void WritesTheSyntheticCorpusThatPretrainReads()
    {
        string dir = Path.Combine(CliInvoke.Temp(), "corpus");
        var made = CliInvoke.Run("make-corpus", "--synthetic", "--videos", "12", "--val-videos", "6", "--feature-dim", "32", "--seed", "7", "--output", dir);
        Assert.True(made.Code == 0, made.Error);
        Assert.Contains("12 train and 6 val videos", made.Output);
        using (var train = PretrainingCorpus.Open(dir))
        using (var val = PretrainingCorpus.Open(dir, "val"))
        {
            Assert.Equal(32, train.FeatureDim);
            // The same generator as the library call with the same seed: identical ids and values.
            string reference = Path.Combine(CliInvoke.Temp(), "reference");
            var ids = SyntheticCorpus.Write(reference, 12, 7, new SyntheticCorpusOptions { FeatureDim = 32 });
            using var expected = PretrainingCorpus.Open(reference);
            Assert.Equal(ids, train.VideoIds);
            Assert.Equal(expected.Read(ids[3]).Features, train.Read(ids[3]).Features);
            Assert.Equal(6, val.VideoIds.Count);
            Assert.Empty(train.VideoIds.Intersect(val.VideoIds));
        }

        var trained = CliInvoke.Run("pretrain", "--corpus", dir, "--output", CliInvoke.Temp(), "--max-updates", "2", "--plain");
        Assert.True(trained.Code == 0, trained.Error + trained.Output);
        Assert.Contains("stopped after 2 updates", trained.Output);
    }

    [Fact]
    public void BadArgumentsExitTwo()
    {
        var none = CliInvoke.Run("make-corpus", "--synthetic", "--videos", "0", "--output", CliInvoke.Temp());
        Assert.Equal(2, none.Code);
        Assert.Contains("--videos", none.Error);

        string dir = CliInvoke.Temp();
        var wide = CliInvoke.Run("make-corpus", "--synthetic", "--videos", "2", "--feature-dim", "16", "--output", dir);
        Assert.Equal(0, wide.Code);
        var refused = CliInvoke.Run("pretrain", "--corpus", dir, "--output", CliInvoke.Temp(), "--max-updates", "1");
        Assert.Equal(2, refused.Code);
        Assert.Contains("16-wide video features", refused.Error);
    }
}
