using Norton.Cli.Commands;
using Norton.Training;
using Norton.Training.Config;
using Norton.Training.Corpus;
using Xunit;

namespace Norton.Cli.Tests;

/// <summary>How <c>norton pretrain</c> picks its data from a config (<c>dataset.vfeat_dir</c>, <c>dataset.*</c>) and <c>--corpus</c>.</summary>
public sealed class PretrainCorpusDataTests
{
    private static PretrainConfig Published() =>
        PretrainConfigReader.Read(Path.Combine(Norton.TestSupport.TestDataPaths.OriginalConfigsDirectory, "how2_pretrain.yaml"));

    [Fact]
    public void TheConfigsVfeatDirAndSamplerSettingsAreUsed()
    {
        var config = Published();
        string corpus = Path.Combine(CliInvoke.Temp(), "corpus");
        SyntheticCorpus.Write(corpus, 3, 1, new SyntheticCorpusOptions { MinSeconds = 20, MaxSeconds = 30 });   // 512-d as S3D
        config = config with { Dataset = config.Dataset with { VideoFeatureDirectory = corpus } };
        using var data = (CorpusTrainingData)PretrainCommand.CreateData(config, null, config.Trainer);
        Assert.Equal(corpus, data.Train.Folder);
        Assert.Equal(512, data.FeatureDim);
        // how2_pretrain.yaml: clip_per_video 16, max_video_len 16, max_len 48, 64 videos per batch, 512 centroids, 192 candidates.
        Assert.Equal(16, data.Clips.ClipsPerVideo);
        Assert.Equal(32, data.Clips.TextLength);
        Assert.Equal(64, data.Retrieval.VideosPerBatch);
        Assert.Equal(512, data.Retrieval.Centroids);
        Assert.Equal(192, data.Retrieval.Candidates);
        Assert.Null(data.Validation);
        Assert.Empty(data.ValidationPlan());

        // --corpus wins over vfeat_dir; without either there is nothing to read.
        var missing = Assert.Throws<DirectoryNotFoundException>(() => PretrainCommand.CreateData(config, "/no/such/corpus", config.Trainer));
        Assert.Contains("/no/such/corpus", missing.Message);
        var none = config with { Dataset = config.Dataset with { VideoFeatureDirectory = null } };
        var e = Assert.Throws<ArgumentException>(() => PretrainCommand.CreateData(none, null, config.Trainer));
        Assert.Contains("vfeat_dir", e.Message);
    }
}
