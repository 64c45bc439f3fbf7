using Norton.Evaluation.Config;
using Norton.Evaluation.Data;
using Norton.Evaluation.Runners;
using Xunit;

namespace Norton.Evaluation.Tests.Runners;

/// <summary>Bad data and configs give errors that name the file and say what was expected.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void MissingFeatureFileIsNamed()
    {
        var (config, data, doc) = DownstreamGolden.Load(DownstreamGolden.Case("vtt"));
        doc.Dispose();
        using var dir = new TempFolder();
        File.Copy(Path.Combine(data, "MSRVTT_JSFUSION_test.csv"), Path.Combine(dir.Path, "MSRVTT_JSFUSION_test.csv"));
        string feat = dir.Folder("feat");
        foreach (string f in Directory.GetFiles(Path.Combine(data, "feat")).Where(f => !f.EndsWith("video7003.npy", StringComparison.Ordinal)))
            File.Copy(f, Path.Combine(feat, Path.GetFileName(f)));

        var e = Assert.Throws<FileNotFoundException>(() => ZeroShotTasks.Create(config, dir.Path).Run(new OracleEncoder(8)));
        Assert.Contains(Path.Combine(feat, "video7003.npy"), e.Message);
    }

    [Fact]
    public void AnnotationWithoutTheVideoIsNamed()
    {
        var (config, data, doc) = DownstreamGolden.Load(DownstreamGolden.Case("youcook"));
        doc.Dispose();
        using var dir = new TempFolder();
        File.Copy(Path.Combine(data, "youcook_val.pkl"), Path.Combine(dir.Path, "youcook_val.pkl"));
        string annotation = dir.WriteText("youcookii_annotations_trainval.json",
            File.ReadAllText(Path.Combine(data, "youcookii_annotations_trainval.json")).Replace("\"ycB1x_1\"", "\"ycZZZ_1\"", StringComparison.Ordinal));
        string feat = dir.Folder("feat");
        foreach (string f in Directory.GetFiles(Path.Combine(data, "feat"))) File.Copy(f, Path.Combine(feat, Path.GetFileName(f)));

        var task = (AlignedTask)ZeroShotTasks.Create(config, dir.Path);
        var e = Assert.Throws<InvalidDataException>(() => task.ReadItems(8).ToList());
        Assert.Contains(annotation, e.Message);
        Assert.Contains("ycB1x_1", e.Message);
    }

    [Fact]
    public void UnsupportedProcessorListsTheSupportedOnes()
    {
        using var dir = new TempFolder();
        string path = dir.WriteText("test_crosstask_zs.yaml",
            File.ReadAllText(DownstreamGolden.ConfigPath("test_vtt_zs.yaml")).Replace("MSRVTTMetaProcessor", "CrossTaskMetaProcessor", StringComparison.Ordinal));

        var e = Assert.Throws<NotSupportedException>(() => ZeroShotTasks.Create(path, dir.Path));
        Assert.Contains(path, e.Message);
        Assert.Contains("CrossTaskMetaProcessor", e.Message);
        foreach (string supported in new[] { "MSRVTTMetaProcessor", "MSRVTTQAMetaProcessor", "YoucookMetaProcessor", "YoucookFullVideoBGMetaProcessor", "COINActionSegmentationMetaProcessor", "HTM-Align" })
            Assert.Contains(supported, e.Message);
    }

    [Fact]
    public void FeaturesOfTheWrongWidthAreNamed()
    {
        var (config, data, doc) = DownstreamGolden.Load(DownstreamGolden.Case("vtt"));
        doc.Dispose();
        var e = Assert.Throws<InvalidDataException>(() => ZeroShotTasks.Create(config, data).Run(new OracleEncoder(512)));
        Assert.Contains(Path.Combine(data, "feat", "video7000.npy"), e.Message);
        Assert.Contains("width 512", e.Message);
    }

    [Fact]
    public void ConfigThatIsNotATestConfigIsRefused()
    {
        using var dir = new TempFolder();
        string path = dir.WriteText("x.yaml", "model:\n  model_cls: MMFusionSeparate\n");
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => EvaluationConfig.Load(path)).Message);
    }

    [Fact]
    public void YouCookSplitKeepsIdsAndCaptionsAndRefusesOtherFiles()
    {
        string pkl = Path.Combine(DownstreamGolden.Case("youcook"), "data", "youcook_val.pkl");
        var records = YouCookSplit.Read(pkl);
        Assert.Equal(11, records.Count);
        Assert.Equal("ycD3x_3_1", records[10].Id);
        Assert.Equal("ycA0x_0_0", records[0].Id);
        Assert.Equal("ycA0x_0", records[0].VideoId);
        Assert.Equal(0, records[0].ClipIndex);
        Assert.Equal("from onion water rice onion", records[0].Caption);

        using var dir = new TempFolder();
        string bad = dir.WriteText("bad.pkl", "not a pickle");
        Assert.Contains(bad, Assert.Throws<InvalidDataException>(() => YouCookSplit.Read(bad)).Message);
    }
}
