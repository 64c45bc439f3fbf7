using System.Text.Json;
using Norton.Evaluation.Config;
using Norton.Evaluation.Encoders;
using Norton.Evaluation.Runners;
using Norton.Models;
using Norton.Models.Bert;
using Norton.Models.VideoClip;
using Norton.TestSupport;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;

namespace Norton.Cli.Tests;

/// <summary>
/// <c>norton evaluate</c> on each of the seven zero-shot configs, read unchanged, with the golden tiny datasets laid
/// out where the configs look for them (data/msrvtt/…) and a small random model: the command's results.json holds
/// what the library API gives for the same checkpoint.
/// </summary>
public sealed class EvaluateCommandTests : IDisposable
{
    private static readonly string Shared = TestDataPaths.Directory;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "norton-cli-eval-" + Guid.NewGuid().ToString("N"));

    public EvaluateCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Theory]
    [InlineData("test_vtt_zs.yaml", "vtt", "R1")]
    [InlineData("test_vttqa_zs.yaml", "vttqa", "acc")]
    [InlineData("test_youcook_zs.yaml", "youcook", "R1")]
    [InlineData("test_youcook_fullvideo_zs.yaml", "youcook", "Cap.Avg R1")]
    [InlineData("test_youcook_fullvideo_bg_zs.yaml", "youcook_fullvideo_bg", "Cap.Avg R1")]
    [InlineData("test_coin_zs.yaml", "coin", "frame_acc")]
    [InlineData("test_how2align_zs.yaml", null, "Recall")]
    public void EachConfigRunsFromTheCommandLineAsFromTheLibrary(string configName, string? golden, string firstMetric)
    {
        string configPath = Path.Combine(Shared, "original-configs", configName);
        EvaluationConfig config = EvaluationConfig.Load(configPath);
        string data = Path.Combine(_root, "repo");
        if (golden is null) StageHtmAlign(config, data);
        else StageGolden(Path.Combine(Shared, "golden", "downstream", golden, "data"), config, data);
        string checkpoint = SaveModel(Path.Combine(_root, "checkpoint_a.pt"), seed: 3);
        string output = Path.Combine(_root, "out");

        var (code, text) = Invoke("evaluate", configPath, "--checkpoint", checkpoint, "--data", data, "--output", output, "--device", "cpu");

        Assert.True(code == 0, text);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        var metrics = results.RootElement.GetProperty("results")[0].GetProperty("metrics");
        Assert.Equal(firstMetric, metrics.EnumerateObject().First().Name);

        using var model = ModelCheckpoint.Load(checkpoint, config.RequireInt("max_video_len"));
        EvaluationResult expected = ZeroShotTasks.Create(config, data).Run(new VideoTextModelEncoder(model));
        foreach (MetricValue m in expected.Metrics)
            Assert.Equal(m.Value, metrics.GetProperty(m.Name).GetDouble());
        Assert.Contains(expected.Metrics[0].Name, text);
        if (configName == "test_coin_zs.yaml") Assert.True(File.Exists(Path.Combine(output, "coin_segmentation.png")));
        if (configName == "test_how2align_zs.yaml") Assert.True(File.Exists(Path.Combine(output, "htm_align_heatmap.png")));
    }

    [Fact]
    public void AFolderOfCheckpointsReportsTheBest()
    {
        string configPath = Path.Combine(Shared, "original-configs", "test_vttqa_zs.yaml");
        EvaluationConfig config = EvaluationConfig.Load(configPath);
        string data = Path.Combine(_root, "repo");
        StageGolden(Path.Combine(Shared, "golden", "downstream", "vttqa", "data"), config, data);
        string folder = Path.Combine(_root, "runs");
        Directory.CreateDirectory(folder);
        for (int seed = 0; seed < 3; seed++) SaveModel(Path.Combine(folder, $"checkpoint{seed}.pt"), seed);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not a checkpoint");
        string output = Path.Combine(_root, "out");

        var (code, text) = Invoke("evaluate", configPath, "--checkpoints", folder, "--data", data, "--output", output, "--no-plots");

        Assert.True(code == 0, text);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        var runs = results.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(3, runs.Length);
        double bestValue = runs.Max(r => r.GetProperty("metrics").GetProperty("acc").GetDouble());
        var best = results.RootElement.GetProperty("best");
        Assert.Equal(bestValue, best.GetProperty("value").GetDouble());
        string first = runs.First(r => r.GetProperty("metrics").GetProperty("acc").GetDouble() == bestValue).GetProperty("checkpoint").GetString()!;
        Assert.Equal(first, best.GetProperty("checkpoint").GetString());
        Assert.Contains("best:", text);
    }

    [Fact]
    public void BadInputExitsWithOneAndAMessage()
    {
        string vtt = Path.Combine(Shared, "original-configs", "test_vtt_zs.yaml");
        string unsupported = Path.Combine(_root, "test_other_zs.yaml");
        File.WriteAllText(unsupported, File.ReadAllText(vtt).Replace("MSRVTTMetaProcessor", "CrossTaskMetaProcessor", StringComparison.Ordinal));

        var (code, text) = Invoke("evaluate", unsupported, "--checkpoint", "x.pt", "--data", _root);
        Assert.Equal(1, code);
        Assert.Contains("CrossTaskMetaProcessor", text);
        Assert.Contains("YoucookFullVideoBGMetaProcessor", text);

        (code, text) = Invoke("evaluate", vtt, "--data", _root);
        Assert.Equal(1, code);
        Assert.Contains("--checkpoint", text);

        (code, text) = Invoke("evaluate", vtt, "--checkpoint", Path.Combine(_root, "missing.pt"), "--data", _root);
        Assert.Equal(1, code);
        Assert.Contains("missing.pt", text);

        (code, text) = Invoke("evaluate", vtt, "--checkpoint", "x.pt", "--data", _root, "--device", "tpu");
        Assert.NotEqual(0, code);
        Assert.Contains("--device", text);
        if (!torch.cuda.is_available())
        {
            (code, text) = Invoke("evaluate", vtt, "--checkpoint", "x.pt", "--data", _root, "--device", "cuda");
            Assert.Equal(1, code);
            Assert.Contains("--device cuda", text);
        }
    }

    private static (int Code, string Output) Invoke(params string[] args)
    {
        var writer = new StringWriter();
        var invocation = new System.CommandLine.InvocationConfiguration { Output = writer, Error = writer };
        int code = Program.BuildRoot().Parse(args).Invoke(invocation);
        return (code, writer.ToString());
    }

    private static string SaveModel(string path, int seed)
    {
        torch.manual_seed(seed);
        var config = new VideoClipConfig(new BertConfig(30522, 64, 1, 1, 128, 40), new BertConfig(30522, 64, 1, 1, 128, 100), 32, inputDim: 8);
        using var model = new VideoTextModel(config);
        model.save_py(path);
        return path;
    }

    /// <summary>Copies a golden case's files to where the unchanged config names them.</summary>
    private static void StageGolden(string source, EvaluationConfig config, string root)
    {
        foreach (string key in new[] { "test_path", "trainval_annotation" })
            if (config.Dataset.TryGetValue(key, out string? value))
            {
                string target = Path.Combine(root, value);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(source, Path.GetFileName(value)), target, overwrite: true);
            }
        string features = Path.Combine(root, config.Require("vfeat_dir"));
        Directory.CreateDirectory(features);
        foreach (string file in Directory.GetFiles(Path.Combine(source, "feat")))
            File.Copy(file, Path.Combine(features, Path.GetFileName(file)), overwrite: true);
    }

    /// <summary>A two-video HTM-Align set: annotation file and random features.</summary>
    private static void StageHtmAlign(EvaluationConfig config, string root)
    {
        string annotation = Path.Combine(root, config.Require("anno_path"));
        Directory.CreateDirectory(Path.GetDirectoryName(annotation)!);
        File.WriteAllText(annotation, """
            {"vidA": [[1, 2, 6, "cut the onion"], [0, 8, 12, "so yeah"], [1, 20, 30, "add salt"]],
             "vidB": [[0, 1, 3, "hello"], [1, 10, 18, "wash rice"], [0, 40, 44, "bye"]]}
            """);
        string features = Path.Combine(root, config.Require("vfeat_dir"));
        torch.manual_seed(5);
        foreach (var (id, length) in new[] { ("vidA", 36L), ("vidB", 50L) })
        {
            using var t = torch.randn(length, 8);
            NpyFloat32.Write(Path.Combine(features, id + ".npy"), t);
        }
    }
}
