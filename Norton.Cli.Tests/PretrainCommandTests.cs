using Norton.Cli.Commands;
using Norton.Training;
using Xunit;

namespace Norton.Cli.Tests;

public sealed class PretrainCommandTests
{
    private static string Temp()
    {
        string path = Path.Combine(Path.GetTempPath(), "norton-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string SharedConfig() =>
        Path.Combine(Norton.TestSupport.TestDataPaths.OriginalConfigsDirectory, "how2_pretrain.yaml");

    private static (int Code, string Output, string Error) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var config = new System.CommandLine.InvocationConfiguration { Output = output, Error = error };
        int code = Program.BuildRoot().Parse(args).Invoke(config);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void EmbeddedDefaultTrainsSavesAndResumes()
    {
        string dir = Temp();
        var first = Invoke("pretrain", "--output", dir, "--max-updates", "3", "--plain");
        Assert.True(first.Code == 0, first.Error + first.Output);
        Assert.Contains("epoch 1 | update 1 | loss ", first.Output);
        Assert.Contains("stopped after 3 updates", first.Output);
        Assert.True(File.Exists(Path.Combine(dir, CheckpointFiles.Last)));
        Assert.True(File.Exists(Path.Combine(dir, "corpus", "train_meta.pkl")));
        Assert.True(File.Exists(Path.Combine(dir, "corpus", "val_meta.pkl")));
        Assert.True(new FileInfo(Path.Combine(dir, "loss.png")).Length > 1000);

        var second = Invoke("pretrain", "--output", dir, "--max-updates", "4", "--restore", "--plain");
        Assert.True(second.Code == 0, second.Error + second.Output);
        Assert.Contains("resumed from", second.Output);
        Assert.Contains("at update 3", second.Output);
        Assert.Contains("stopped after 4 updates", second.Output);
    }

    [Fact]
    public void ThePublishedConfigLoadsAndWarnsAboutUnusedKeysOnce()
    {
        // The config is read and checked; its restore_file (VideoCLIP's checkpoint, relative to the config) is absent here.
        var result = Invoke("pretrain", SharedConfig(), "--output", Temp());
        Assert.Equal(2, result.Code);
        string[] warnings = result.Error.Split('\n').Where(l => l.StartsWith("warning:", StringComparison.Ordinal)).ToArray();
        Assert.Single(warnings);
        Assert.Contains("slurm_config", warnings[0]);
        Assert.Contains("runs/retri/videoclip/checkpoint_best.pt' does not exist", result.Error);
    }

    [Fact]
    public void ABadConfigExitsTwoWithTheKeyAndItsNearestKnownKey()
    {
        string dir = Temp();
        string path = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(path, File.ReadAllText(SharedConfig()).Replace("warmup_updates: 1000", "warmup_update: 1000", StringComparison.Ordinal));
        var result = Invoke("pretrain", path);
        Assert.Equal(2, result.Code);
        Assert.Contains("fairseq.optimization.warmup_update'", result.Error);
        Assert.Contains("fairseq.optimization.warmup_updates", result.Error);
    }

    [Fact]
    public void AMissingCheckpointOrAnUnwritableOutputIsANonZeroExitWithAMessage()
    {
        var missing = Invoke("pretrain", "--checkpoint", "/nonexistent/checkpoint_best.pt", "--output", Temp());
        Assert.Equal(2, missing.Code);
        Assert.Contains("checkpoint_best.pt", missing.Error);

        string file = Path.Combine(Temp(), "not-a-folder");
        File.WriteAllText(file, "");
        var unwritable = Invoke("pretrain", "--output", Path.Combine(file, "out"), "--max-updates", "1");
        Assert.Equal(1, unwritable.Code);
        Assert.Contains("not writable", unwritable.Error);
    }

    [Fact]
    public void ACheckpointOfAnotherModelIsRefusedWithExitOne()
    {
        string dir = Temp();
        string garbage = Path.Combine(dir, "other.pt");
        File.WriteAllBytes(garbage, [0x50, 0x4B, 0x03, 0x04, 1, 2, 3]);
        var result = Invoke("pretrain", "--checkpoint", garbage, "--output", dir, "--max-updates", "1");
        Assert.Equal(1, result.Code);
        Assert.Contains("other.pt", result.Error);
    }

    [Fact]
    public void CreateDataIsTheOnePlaceThatPicksTheCorpus()
    {
        string dir = Temp();
        var options = EmbeddedDefault.Options(dir);
        using (var data = (CorpusTrainingData)PretrainCommand.CreateData(null, null, options))
        {
            Assert.Equal(EmbeddedDefault.Model.InputDim, data.FeatureDim);
            Assert.Equal(Path.Combine(dir, "corpus"), data.Train.Folder);
            Assert.Equal(48, data.Train.VideoIds.Count);
            Assert.Equal(12, data.Validation!.VideoIds.Count);
            Assert.Empty(data.Train.VideoIds.Intersect(data.Validation.VideoIds));
            Assert.Equal(2, data.ValidationPlan().Count);
        }
        Assert.Throws<DirectoryNotFoundException>(() => PretrainCommand.CreateData(null, "/some/corpus", options));
        // A corpus of another feature width than the model's is refused, naming both widths.
        string wide = Path.Combine(dir, "wide");
        Norton.Training.Corpus.SyntheticCorpus.Write(wide, 2, 1, new Norton.Training.Corpus.SyntheticCorpusOptions { FeatureDim = 16, MinSeconds = 10, MaxSeconds = 12 });
        var e = Assert.Throws<ArgumentException>(() => PretrainCommand.CreateData(null, wide, options));
        Assert.Contains("16-wide", e.Message);
        Assert.Contains("32-wide", e.Message);
    }
}
