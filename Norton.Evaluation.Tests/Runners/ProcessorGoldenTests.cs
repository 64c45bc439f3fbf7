using System.Text.Json;
using Norton.Evaluation.Processing;
using Norton.Evaluation.Runners;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Evaluation.Tests.Runners;

/// <summary>
/// Each reader + window/token builder reproduces, from the files alone, every tensor the original's processors
/// and aligners built for the golden datasets (golden/downstream and NORTON_GOLDEN_DIRS/downstream).
/// </summary>
public sealed class ProcessorGoldenTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string folder in DownstreamGolden.CaseFolders()) data.Add(folder);
        return data;
    }

    [Fact]
    public void AllFiveGoldenTasksArePresent()
    {
        var names = DownstreamGolden.CaseFolders().Select(Path.GetFileName).ToHashSet();
        Assert.Superset(new HashSet<string?> { "vtt", "vttqa", "youcook", "youcook_fullvideo_bg", "coin" }, names);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ItemsMatchTheOriginalProcessors(string caseFolder)
    {
        var (config, data, expectedDoc) = DownstreamGolden.Load(caseFolder);
        using var _ = expectedDoc;
        JsonElement root = expectedDoc.RootElement;
        var task = Assert.IsAssignableFrom<AlignedTask>(ZeroShotTasks.Create(config, data));
        JsonElement expected = root.GetProperty("expected");
        JsonElement expectedItems = expected.ValueKind == JsonValueKind.Object ? expected.GetProperty("items") : expected;
        int width = root.GetProperty("feature_dim").GetInt32();

        var items = task.ReadItems(width).ToList();
        try
        {
            Assert.Equal(expectedItems.GetArrayLength(), items.Count);
            for (int i = 0; i < items.Count; i++)
                AssertItem(expectedItems[i], items[i], $"{Path.GetFileName(caseFolder)} item {i}");
        }
        finally
        {
            foreach (AlignedItem item in items) item.Dispose();
        }

        if (task is CoinSegmentationTask coin)
        {
            var (texts, caps, cmasks) = coin.ReadLabels();
            using (caps)
            using (cmasks)
            {
                Assert.Equal(expected.GetProperty("text_labels").EnumerateArray().Select(e => e.GetString()), texts);
                AssertTensor(expected.GetProperty("label_caps"), caps, "label_caps");
                AssertTensor(expected.GetProperty("label_cmasks"), cmasks, "label_cmasks");
            }
        }
    }

    private static void AssertItem(JsonElement expected, AlignedItem item, string where)
    {
        AssertTensor(expected.GetProperty("caps"), item.Caps, where + " caps");
        AssertTensor(expected.GetProperty("cmasks"), item.Cmasks, where + " cmasks");
        AssertTensor(expected.GetProperty("vfeats"), item.Vfeats, where + " vfeats");
        AssertTensor(expected.GetProperty("vmasks"), item.Vmasks, where + " vmasks");
        if (expected.TryGetProperty("video_id", out JsonElement id))
            Assert.Equal(id.GetString(), item.VideoId);
        if (expected.TryGetProperty("answers", out JsonElement answers))
            Assert.Equal(answers[0].GetInt32(), item.Answer);
        if (expected.TryGetProperty("video_info", out JsonElement info))
        {
            Assert.Equal(info[0].GetString(), item.VideoId);
            Assert.Equal((info[1].GetInt32(), info[2].GetInt32()), item.Segment);
        }
        if (expected.TryGetProperty("video_len", out JsonElement length))
            Assert.Equal(length.GetInt32(), item.VideoLength);
        if (expected.TryGetProperty("targets", out JsonElement targets))
            AssertTensor(targets, item.Targets!, where + " targets");
        if (expected.TryGetProperty("video_targets", out JsonElement videoTargets))
            Assert.Equal(videoTargets.EnumerateArray().Select(e => e.GetInt64()), item.VideoTargets!);
    }

    private static void AssertTensor(JsonElement expected, Tensor actual, string where)
    {
        var (values, shape) = DownstreamGolden.Flatten(expected);
        Assert.True(shape.SequenceEqual(actual.shape), $"{where}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", shape)}]");
        using var flat = actual.to(ScalarType.Float64).reshape(-1);
        double[] got = flat.data<double>().ToArray();
        for (int k = 0; k < values.Length; k++)
            if (got[k] != (actual.dtype == ScalarType.Float32 ? (double)(float)values[k] : values[k]))
                Assert.Fail($"{where}: element {k} is {got[k]}, expected {values[k]}");
    }
}
