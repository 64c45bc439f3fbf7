using Norton.Training.Config;
using Xunit;

namespace Norton.Training.Tests.Config;

public sealed class PretrainConfigReaderTests
{
    private static string Shared(params string[] parts) => Path.Combine([Norton.TestSupport.TestDataPaths.Directory, .. parts]);

    private static string Write(string yaml)
    {
        string dir = Path.Combine(Path.GetTempPath(), "norton-config-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "run.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static string Published => File.ReadAllText(Shared("original-configs", "how2_pretrain.yaml"));

    [Fact]
    public void ThePublishedHow2PretrainLoadsWithThePapersRecipe()
    {
        string path = Shared("original-configs", "how2_pretrain.yaml");
        var config = PretrainConfigReader.Read(path);
        var t = config.Trainer;
        Assert.Equal(1e-5, t.LearningRate);
        Assert.Equal(2.0, t.ClipNorm);
        Assert.Equal((0.9, 0.98), t.AdamBetas);
        Assert.Equal(1_000_000, t.TotalNumUpdate);
        Assert.Equal(1000, t.WarmupUpdates);
        Assert.Equal(0.0, t.WeightDecay);
        Assert.Equal(6, t.MaxEpoch);
        Assert.Equal(1, t.RetrievalEpoch);
        Assert.Equal(1024, t.SaveIntervalUpdates);
        Assert.Equal(2, t.KeepIntervalUpdates);
        Assert.Equal(50, t.KeepLastEpochs);
        Assert.True(t.LayerNormOnly);
        Assert.Equal(6, t.Model.Video.NumHiddenLayers);
        Assert.Equal(12, t.Model.Text.NumHiddenLayers);
        Assert.Equal(16, t.Model.MaxVideoLen);
        Assert.Equal(0.1, t.Loss.SequenceContrastWeight);
        Assert.Equal(8, t.Loss.Length);
        Assert.Equal(0.3, t.Loss.PromptRatio);
        Assert.Equal(0.1, t.Loss.Scale);
        Assert.Equal(50, t.Loss.SinkhornIterations);
        Assert.Equal(0.3, t.Loss.Beta);
        Assert.Equal(1.0, t.Loss.AlphaLse);
        Assert.Equal(0.5, t.Loss.FusionWeight);
        Assert.Equal(64, config.Dataset.NumVideoPerBatch);
        Assert.Equal(16, config.Dataset.ClipPerVideo);
        Assert.Equal(192, config.Dataset.NumCandidates);
        // Paths are relative to the config file.
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Assert.Equal(Path.GetFullPath(Path.Combine(folder, "runs/retri/videoclip/checkpoint_best.pt")), t.InitialCheckpoint);
        Assert.Equal(Path.GetFullPath(Path.Combine(folder, "data/how2/how2_s3d_train.lst")), config.Dataset.TrainPath);
        Assert.Contains(config.UnusedKeys, k => k.StartsWith("slurm_config", StringComparison.Ordinal));
        Assert.Contains(config.UnusedKeys, k => k.StartsWith("fairseq.common.fp16", StringComparison.Ordinal));
        Assert.Contains(config.UnusedKeys, k => k.StartsWith("fairseq.common.tensorboard_logdir", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnknownKeyNamesItsPathAndTheNearestKnownKey()
    {
        string path = Write(Published.Replace("    clip_norm: 2.0", "    clip_nrom: 2.0", StringComparison.Ordinal));
        var e = Assert.Throws<ConfigException>(() => PretrainConfigReader.Read(path));
        Assert.Equal("fairseq.optimization.clip_nrom", e.KeyPath);
        Assert.Contains("fairseq.optimization.clip_norm", e.Message);
    }

    [Theory]
    [InlineData("    - 1.0e-05", "    - fast", "expects a number")]
    [InlineData("    - 1.0e-05", "    - -1.0e-05", "lr must be a positive")]
    [InlineData("    warmup_updates: 1000", "    warmup_updates: 2000000", "warmup_updates must lie")]
    [InlineData("    clip_norm: 2.0", "    clip_norm: 0", "clip_norm must be a positive")]
    [InlineData("  layernorm_only: True", "  layernorm_only: maybe", "expects true or false")]
    [InlineData("    max_epoch: 6", "    max_epoch: 6.5", "expects a whole number")]
    [InlineData("  beta: 0.3", "  beta: 1.5", "Beta")]
    [InlineData("    optimizer: adam", "    optimizer: sgd", "only 'adam'")]
    public void WrongTypesAndImpossibleValuesAreClearErrors(string from, string to, string expected)
    {
        string yaml = Published;
        Assert.Contains(from, yaml);
        var e = Assert.Throws<ConfigException>(() => PretrainConfigReader.Read(Write(yaml.Replace(from, to, StringComparison.Ordinal))));
        Assert.Contains(expected, e.Message);
        Assert.Contains("run.yaml", e.Message);
    }

    [Fact]
    public void NotYamlIsAClearError()
    {
        var e = Assert.Throws<ConfigException>(() => PretrainConfigReader.Read(Write("dataset: [unclosed\n  x: {")));
        Assert.Contains("not valid YAML", e.Message);
    }

    [Fact]
    public void NearestKeyUsesEditDistance()
    {
        Assert.Equal(3, NearestKey.Distance("kitten", "sitting"));
        Assert.Equal("fairseq.optimization.warmup_updates", NearestKey.Find("fairseq.optimization.warmup_update", PretrainConfigReader.KnownKeys));
    }
}
