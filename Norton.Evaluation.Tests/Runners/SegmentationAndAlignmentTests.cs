using System.Text.Json;
using Norton.Evaluation.Config;
using Norton.Evaluation.Runners;
using Xunit;

namespace Norton.Evaluation.Tests.Runners;

/// <summary>
/// COIN and HTM-Align end to end on datasets whose features spell out the answer: a second's feature is the
/// one-hot of its step (COIN) or of the text it shows (HTM-Align), and each label or text embeds to its one-hot.
/// </summary>
public sealed class SegmentationAndAlignmentTests
{
    [Fact]
    public void CoinFrameAccuracyCountsExactlyTheSecondsMadeToShowAnotherStep()
    {
        string caseFolder = DownstreamGolden.Case("coin");
        var (config, _, doc) = DownstreamGolden.Load(caseFolder);
        using var _ = doc;
        using var dir = new TempFolder();
        File.Copy(Path.Combine(caseFolder, "data", "COIN.json"), Path.Combine(dir.Path, "COIN.json"));
        string feat = dir.Folder("feat");
        var items = doc.RootElement.GetProperty("expected").GetProperty("items").EnumerateArray().ToArray();
        int frames = 0;
        foreach (JsonElement item in items)
        {
            long[] targets = item.GetProperty("video_targets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var values = new float[targets.Length, 8];
            for (int t = 0; t < targets.Length; t++)
                if (targets[t] > 0) values[t, targets[t] - 1] = 1f;
            if (item.GetProperty("video_id").GetString() == "coin0")
                for (int t = 0; t < 3; t++) // seconds 0-2 show step 5 instead of step 1
                {
                    values[t, targets[t] - 1] = 0f;
                    values[t, 4] = 1f;
                }
            NpyWriter.Write(Path.Combine(feat, item.GetProperty("video_id").GetString() + ".npy"), values);
            frames += targets.Length;
        }
        NpyWriter.Write(Path.Combine(feat, "coin2.npy"), new float[10, 8]); // training subset: not evaluated
        var encoder = new OracleEncoder(8);
        var labels = doc.RootElement.GetProperty("expected").GetProperty("text_labels").EnumerateArray().Select(e => e.GetString()!).ToArray();
        for (int k = 0; k < labels.Length; k++) encoder.SetText(labels[k], OracleEncoder.OneHot(8, k));

        EvaluationResult result = ZeroShotTasks.Create(config, dir.Path).Run(encoder);

        Assert.Equal(2, result.Items);
        Assert.Equal(1.0 - 3.0 / frames, result["frame_acc"], 12);
        Assert.NotNull(result.Segmentation);
        Assert.Equal("coin0", result.Segmentation!.VideoId);
        Assert.Equal(new long[] { 5, 5, 5, 1 }, result.Segmentation.Predicted.Take(4));
        Assert.Equal(1L, result.Segmentation.Target[0]);
    }

    [Fact]
    public void HtmAlignRecallAndAucOnATinyAnnotationFile()
    {
        using var dir = new TempFolder();
        EvaluationConfig config = EvaluationConfig.Load(DownstreamGolden.ConfigPath("test_how2align_zs.yaml"));
        dir.WriteText(config.Require("anno_path"), """
            {"vidB": [[1, 5.2, 9.0, "cut the onion"], [1, 30, 35, "add salt"], [0, 10, 14, "so yeah"], [0, 20, 26, "thanks for watching"]]}
            """);
        var values = new float[40, 8];
        for (int t = 5; t <= 9; t++) values[t, 0] = 1f;   // text 0 is shown at 5-9 s: its truth is [5.2, 9.0]
        for (int t = 20; t <= 24; t++) values[t, 1] = 1f; // text 1 is shown at 20-24 s, its truth is [30, 35]
        NpyWriter.Write(Path.Combine(dir.Folder(config.Require("vfeat_dir")), "vidB.npy"), values);
        var encoder = new OracleEncoder(8);
        string[] texts = { "cut the onion", "add salt", "so yeah", "thanks for watching" };
        for (int k = 0; k < texts.Length; k++) encoder.SetText(texts[k], OracleEncoder.OneHot(8, k));

        EvaluationResult result = ZeroShotTasks.Create(config, dir.Path).Run(encoder);

        Assert.Equal("HTM-Align temporal alignment", result.Task);
        Assert.Equal(0.5, result["Recall"], 12);
        Assert.Equal(1.0, result["AUC"], 12);
        Assert.Equal("vidB", result.Alignment!.VideoId);
        Assert.Equal(1f, result.Alignment.Similarity[0, 5]);
        Assert.Equal(0f, result.Alignment.Similarity[0, 4]);
        Assert.Equal(3, encoder.VideoCalls); // windows at 0, 8 and 16 s
    }
}
