using Norton.Evaluation.Config;
using Norton.Evaluation.Runners;
using Norton.Evaluation.Tests.Runners;
using Xunit;

namespace Norton.Evaluation.Tests.Config;

/// <summary>The original's seven zero-shot configs, read unchanged, pick the right runner and sizes.</summary>
public sealed class ZeroShotConfigTests
{
    [Theory]
    [InlineData("test_vtt_zs.yaml", typeof(MsrvttRetrievalTask), 32, 96, 256, "RetrievalMetric")]
    [InlineData("test_vttqa_zs.yaml", typeof(MsrvttQaTask), 16, 96, 256, "QAMetric")]
    [InlineData("test_youcook_zs.yaml", typeof(YouCookClipTask), 32, 96, 256, "RetrievalMetric")]
    [InlineData("test_youcook_fullvideo_zs.yaml", typeof(YouCookClipTask), 32, 96, 256, "FullVideoRetrievalMetric")]
    [InlineData("test_youcook_fullvideo_bg_zs.yaml", typeof(YouCookBackgroundTask), 32, 96, 1, "FullVideoBGRetrievalMetric")]
    [InlineData("test_coin_zs.yaml", typeof(CoinSegmentationTask), 32, 96, 1, "COINActionSegmentationMetric")]
    [InlineData("test_how2align_zs.yaml", typeof(HtmAlignTask), 32, 96, 256, null)]
    public void EachConfigPicksItsRunner(string name, Type runner, int maxVideoLength, int maxLength, int batchSize, string? metric)
    {
        EvaluationConfig config = EvaluationConfig.Load(DownstreamGolden.ConfigPath(name));
        Assert.Equal(Path.GetFileNameWithoutExtension(name), config.Name);
        Assert.Equal(batchSize, config.BatchSize);
        Assert.Equal(metric, config.Metric);

        ZeroShotTask task = ZeroShotTasks.Create(config, "/nonexistent");
        Assert.IsType(runner, task);
        Assert.Equal(maxVideoLength, task.MaxVideoLength);
        Assert.Equal(maxLength, task.MaxLength);
        Assert.Equal(name == "test_youcook_fullvideo_zs.yaml", (task as YouCookClipTask)?.FullVideo ?? false);
    }

    [Fact]
    public void WindowSizesComeFromTheConfig()
    {
        var bg = (YouCookBackgroundTask)ZeroShotTasks.Create(DownstreamGolden.ConfigPath("test_youcook_fullvideo_bg_zs.yaml"), "/x");
        Assert.Equal((16, 16), (bg.Stride, bg.WindowSize));
        var coin = (CoinSegmentationTask)ZeroShotTasks.Create(DownstreamGolden.ConfigPath("test_coin_zs.yaml"), "/x");
        Assert.Equal((16, 32), (coin.Stride, coin.WindowSize));
    }

    [Fact]
    public void AMismatchedAlignerIsRefused()
    {
        using var dir = new TempFolder();
        string path = dir.WriteText("test_vtt_zs.yaml",
            File.ReadAllText(DownstreamGolden.ConfigPath("test_vtt_zs.yaml")).Replace("aligner: DSAligner", "aligner: MSRVTTQAAligner", StringComparison.Ordinal));
        var e = Assert.Throws<NotSupportedException>(() => ZeroShotTasks.Create(path, dir.Path));
        Assert.Contains("aligner MSRVTTQAAligner", e.Message);
    }
}
