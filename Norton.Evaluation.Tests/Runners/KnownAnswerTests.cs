using System.Text.Json;
using Norton.Evaluation.Metrics;
using Norton.Evaluation.Runners;
using Norton.Models.Text;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Evaluation.Tests.Runners;

/// <summary>
/// Each runner end to end on the golden datasets with an encoder whose right answer is known: caption vectors equal
/// to the pooled video of a chosen clip, so a caption retrieves exactly the clip it was given (a permutation
/// decides which are right).
/// </summary>
public sealed class KnownAnswerTests
{
    private static readonly BertWordPieceTokenizer Tokenizer = BertWordPieceTokenizer.BertBaseUncased;

    [Fact]
    public void MsrvttRetrievalRecallIsTheShareOfCaptionsGivenTheirOwnVideo()
    {
        var (config, data, doc) = DownstreamGolden.Load(DownstreamGolden.Case("vtt"));
        using var _ = doc;
        var items = doc.RootElement.GetProperty("expected").EnumerateArray().ToArray();
        var encoder = new OracleEncoder(8);
        int[] permutation = { 1, 0, 2, 3, 4 }; // captions 0 and 1 describe each other's video
        for (int i = 0; i < items.Length; i++)
            encoder.SetText(Caption(items[i].GetProperty("caps")), PooledVideo(items[permutation[i]]));

        EvaluationResult result = ZeroShotTasks.Create(config, data).Run(encoder);

        Assert.Equal("test_vtt_zs", result.Config);
        Assert.Equal(5, result.Items);
        Assert.Equal(0.6, result["R1"], 12);
        Assert.Equal(1.0, result["R5"], 12);
        Assert.Equal(1.0, result["MR"], 12);
    }

    [Fact]
    public void MsrvttQaAccuracyCountsTheQuestionsWhoseRightAnswerMatchesTheVideo()
    {
        var (config, data, doc) = DownstreamGolden.Load(DownstreamGolden.Case("vttqa"));
        using var _ = doc;
        var items = doc.RootElement.GetProperty("expected").EnumerateArray().ToArray();
        var encoder = new OracleEncoder(8);
        for (int b = 0; b < items.Length; b++)
        {
            float[] video = PooledVideo(items[b]);
            int answer = items[b].GetProperty("answers")[0].GetInt32();
            int matching = b == 3 ? (answer + 1) % 5 : answer; // question 3: a wrong option matches its video
            var caps = items[b].GetProperty("caps").EnumerateArray().ToArray();
            for (int k = 0; k < 5; k++)
                encoder.SetText(Caption(caps[k]), k == matching ? video : video.Select(x => -x).ToArray());
        }

        EvaluationResult result = ZeroShotTasks.Create(config, data).Run(encoder);

        Assert.Equal(4, result.Items);
        Assert.Equal(0.75, result["acc"], 12);
        Assert.Equal(1, encoder.VideoCalls); // one batch (batch_size 256), video encoded once per question
    }

    [Fact]
    public void YouCookClipRetrievalAndFullVideoParagraphs()
    {
        var (config, data, doc) = DownstreamGolden.Load(DownstreamGolden.Case("youcook"));
        using var _ = doc;
        var items = doc.RootElement.GetProperty("expected").EnumerateArray().ToArray();
        var encoder = new OracleEncoder(8);
        int[] permutation = { 0, 1, 2, 3, 4, 5, 6, 8, 7 }; // the last two clips of ycC2x_2 swapped
        for (int i = 0; i < items.Length; i++)
            encoder.SetText(Caption(items[i].GetProperty("caps")), PooledVideo(items[permutation[i]]));

        EvaluationResult clips = ZeroShotTasks.Create(config, data).Run(encoder);
        Assert.Equal(9, clips.Items);
        Assert.Equal(7.0 / 9, clips["R1"], 12);

        // test_youcook_fullvideo_zs: the same items, paragraphs per video. Every caption still matches a clip of
        // its own video best, so Cap.Avg ranks each paragraph's video first; all scores must equal the metric on
        // the similarity computed here from the golden tensors.
        var full = DownstreamGolden.Load(DownstreamGolden.Case("youcook")).Config;
        full = Norton.Evaluation.Config.EvaluationConfig.Load(DownstreamGolden.ConfigPath("test_youcook_fullvideo_zs.yaml")).WithDataset(full.Dataset);
        EvaluationResult paragraphs = ZeroShotTasks.Create(full, data).Run(encoder);
        Assert.Equal(3, paragraphs.Items);
        Assert.Equal(1.0, paragraphs["Cap.Avg R1"], 12);

        var text = items.Select((_, i) => PooledVideo(items[permutation[i]])).ToArray();
        var video = items.Select(PooledVideo).ToArray();
        using var similarity = Similarity(text, video);
        var layout = ParagraphLayout.FromSegmentVideoIds(items.Select(i => i.GetProperty("video_info")[0].GetString()!).ToArray());
        var expected = ParagraphRetrieval.Evaluate(similarity, layout, ParagraphRetrieval.WithBackground);
        foreach (ParagraphRetrievalResult r in expected)
        {
            Assert.Equal(r.R1, paragraphs[$"{r.Scorer} R1"], 12);
            Assert.Equal(r.R5, paragraphs[$"{r.Scorer} R5"], 12);
        }
    }

    [Fact]
    public void YouCookBackgroundRemovedParagraphsFollowTheWindowsTheirCaptionsMatch()
    {
        var (config, data, doc) = DownstreamGolden.Load(DownstreamGolden.Case("youcook_fullvideo_bg"));
        using var _ = doc;
        var items = doc.RootElement.GetProperty("expected").EnumerateArray().ToArray();
        var encoder = new OracleEncoder(8);
        int[] owner = { 1, 0, 2 }; // the captions of the first two videos describe each other's windows
        var windowVectors = items.Select(WindowVectors).ToArray();
        for (int v = 0; v < items.Length; v++)
        {
            var caps = items[v].GetProperty("caps").EnumerateArray().ToArray();
            var windows = windowVectors[owner[v]];
            for (int c = 0; c < caps.Length; c++)
                encoder.SetText(Caption(caps[c]), windows[c % windows.Length]);
        }

        EvaluationResult result = ZeroShotTasks.Create(config, data).Run(encoder);

        Assert.Equal(3, result.Items);
        Assert.Equal(1.0 / 3, result["Cap.Avg R1"], 12);
        var text = items.SelectMany((item, v) => item.GetProperty("caps").EnumerateArray()
            .Select((_, c) => windowVectors[owner[v]][c % windowVectors[owner[v]].Length])).ToArray();
        using var similarity = Similarity(text, windowVectors.SelectMany(w => w).ToArray());
        var layout = ParagraphLayout.FromVideoIds(
            items.Select(i => i.GetProperty("video_id").GetString()!).ToArray(),
            items.Select(i => i.GetProperty("caps").GetArrayLength()).ToArray(),
            windowVectors.Select(w => w.Length).ToArray());
        foreach (ParagraphRetrievalResult r in ParagraphRetrieval.Evaluate(similarity, layout, ParagraphRetrieval.BackgroundRemoved))
            Assert.Equal(r.R1, result[$"{r.Scorer} R1"], 12);
    }

    internal static string Caption(JsonElement caps)
    {
        var (values, _) = DownstreamGolden.Flatten(caps);
        return Tokenizer.Decode(values.Select(v => (long)v), skipSpecialTokens: true);
    }

    /// <summary>The normalised mean of an item's valid video slots, computed from the golden tensors.</summary>
    internal static float[] PooledVideo(JsonElement item) => MeanOfValid(item.GetProperty("vfeats"), item.GetProperty("vmasks"));

    private static float[][] WindowVectors(JsonElement item)
    {
        var feats = item.GetProperty("vfeats").EnumerateArray().ToArray();
        var masks = item.GetProperty("vmasks").EnumerateArray().ToArray();
        return feats.Select((f, w) => MeanOfValid(f, masks[w])).ToArray();
    }

    private static float[] MeanOfValid(JsonElement vfeats, JsonElement vmasks)
    {
        var rows = vfeats.EnumerateArray().ToArray();
        var mask = vmasks.EnumerateArray().Select(m => m.GetBoolean()).ToArray();
        int d = rows[0].GetArrayLength();
        var sum = new float[d];
        int count = 0;
        for (int t = 0; t < rows.Length; t++)
        {
            if (!mask[t]) continue;
            count++;
            for (int k = 0; k < d; k++) sum[k] += (float)rows[t][k].GetDouble();
        }
        return OracleEncoder.Normalised(sum.Select(x => x / count).ToArray());
    }

    private static Tensor Similarity(float[][] text, float[][] video)
    {
        var s = new float[text.Length * video.Length];
        for (int i = 0; i < text.Length; i++)
            for (int j = 0; j < video.Length; j++)
                s[i * video.Length + j] = text[i].Zip(video[j], (a, b) => a * b).Sum();
        return tensor(s, new long[] { text.Length, video.Length });
    }
}
