using Norton.Models.VideoClip;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.VideoClip;

/// <summary>
/// The full-size model, built on the meta device (no storage), against the checkpoint key table of docs/original-model.md §6.1,
/// the parameter counts of §1.5 and the committed key snapshot.
/// </summary>
public class FullSizeModelTests
{
    private static VideoTextModel BuildOnMeta() => new(VideoClipConfig.Full(), META);

    /// <summary>The key/shape list of docs/original-model.md §6.1 (without <c>mmmodel.</c>; no COIN classifier), in module order.</summary>
    internal static List<(string Key, long[] Shape)> SpecTable()
    {
        var rows = new List<(string, long[])>
        {
            ("video_encoder.videomlp.linear1.weight", [768, 512]),
            ("video_encoder.videomlp.linear1.bias", [768]),
            ("video_encoder.videomlp.LayerNorm.weight", [768]),
            ("video_encoder.videomlp.LayerNorm.bias", [768]),
            ("video_encoder.videomlp.linear2.weight", [768, 768]),
            ("video_encoder.videomlp.linear2.bias", [768]),
        };
        Bert(rows, "video_encoder.bert.", 6);
        Bert(rows, "text_encoder.", 12);
        return rows;
    }

    private static void Bert(List<(string, long[])> rows, string prefix, int layers)
    {
        rows.Add((prefix + "embeddings.word_embeddings.weight", [30522, 768]));
        rows.Add((prefix + "embeddings.position_embeddings.weight", [512, 768]));
        rows.Add((prefix + "embeddings.token_type_embeddings.weight", [2, 768]));
        rows.Add((prefix + "embeddings.LayerNorm.weight", [768]));
        rows.Add((prefix + "embeddings.LayerNorm.bias", [768]));
        rows.Add((prefix + "embeddings.position_ids", [1, 512]));
        for (int n = 0; n < layers; n++)
        {
            string l = $"{prefix}encoder.layer.{n}.";
            foreach (string qkv in new[] { "query", "key", "value" })
            {
                rows.Add(($"{l}attention.self.{qkv}.weight", [768, 768]));
                rows.Add(($"{l}attention.self.{qkv}.bias", [768]));
            }
            rows.Add(($"{l}attention.output.dense.weight", [768, 768]));
            rows.Add(($"{l}attention.output.dense.bias", [768]));
            rows.Add(($"{l}attention.output.LayerNorm.weight", [768]));
            rows.Add(($"{l}attention.output.LayerNorm.bias", [768]));
            rows.Add(($"{l}intermediate.dense.weight", [3072, 768]));
            rows.Add(($"{l}intermediate.dense.bias", [3072]));
            rows.Add(($"{l}output.dense.weight", [768, 3072]));
            rows.Add(($"{l}output.dense.bias", [768]));
            rows.Add(($"{l}output.LayerNorm.weight", [768]));
            rows.Add(($"{l}output.LayerNorm.bias", [768]));
        }
        rows.Add((prefix + "pooler.dense.weight", [768, 768]));
        rows.Add((prefix + "pooler.dense.bias", [768]));
    }

    [Fact]
    public void KeysAndShapesMatchTheCheckpointTable()
    {
        using var model = BuildOnMeta();
        var actual = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        var expected = SpecTable();
        var missing = expected.Where(e => !actual.ContainsKey(e.Key)).Select(e => e.Key).ToList();
        var extra = actual.Keys.Except(expected.Select(e => e.Key)).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"missing: {string.Join(", ", missing)}; unexpected: {string.Join(", ", extra)}");
        foreach (var (key, shape) in expected)
            Assert.True(shape.SequenceEqual(actual[key]), $"{key}: [{string.Join(",", actual[key])}], spec [{string.Join(",", shape)}]");
    }

    [Fact]
    public void PositionIdsAreInt64Buffers()
    {
        using var model = BuildOnMeta();
        var sd = model.state_dict();
        Assert.Equal(ScalarType.Int64, sd["video_encoder.bert.embeddings.position_ids"].dtype);
        Assert.Equal(ScalarType.Int64, sd["text_encoder.embeddings.position_ids"].dtype);
        Assert.DoesNotContain(model.named_parameters(), p => p.name.EndsWith("position_ids", StringComparison.Ordinal));
    }

    [Fact]
    public void ParameterCountsMatchTheSpec()
    {
        using var model = BuildOnMeta();
        Assert.Equal(67_941_120L, model.VideoEncoder.parameters().Sum(p => p.numel()));
        Assert.Equal(109_482_240L, model.TextEncoder.parameters().Sum(p => p.numel()));
        Assert.Equal(177_423_360L, model.parameters().Sum(p => p.numel()));
        Assert.All(model.parameters(), p => Assert.Equal(TorchSharp.DeviceType.META, p.device_type));
    }

    /// <summary>The committed snapshot (Fixtures/videoclip_full_state_dict.txt: <c>key shape dtype</c> per line, in
    /// module order) catches any rename, reorder or dtype change. Set NORTON_UPDATE_SNAPSHOTS=1 to rewrite it
    /// after a deliberate change (and review the diff).</summary>
    [Fact]
    public void StateDictMatchesTheCommittedSnapshot()
    {
        using var model = BuildOnMeta();
        var actual = model.state_dict().Select(kv => Line(kv.Key, kv.Value)).ToList();
        if (Environment.GetEnvironmentVariable("NORTON_UPDATE_SNAPSHOTS") == "1")
            File.WriteAllLines(SourceFixture(), ["# VideoTextModel(VideoClipConfig.Full()).state_dict(): key [shape] dtype, module order. Checked against docs/original-model.md §6.1 by KeysAndShapesMatchTheCheckpointTable.", .. actual]);
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "videoclip_full_state_dict.txt");
        var expected = File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Equal(expected, actual);
    }

    private static string SourceFixture([System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(source)!)!, "Fixtures", "videoclip_full_state_dict.txt");

    internal static string Line(string key, Tensor t) => $"{key} [{string.Join(",", t.shape)}] {t.dtype}";

    [Fact]
    public void LayerNormOnlyLeaves59904TrainableParameters()
    {
        using var model = BuildOnMeta();
        long trainable = model.UseLayerNormOnly();
        Assert.Equal(59_904L, trainable);
        var names = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.Equal(78, names.Count); // 39 LayerNorms × (γ, β)
        Assert.Equal(59_904L, model.parameters().Where(p => p.requires_grad).Sum(p => p.numel()));
        Assert.All(names, n => Assert.Matches(@"\.LayerNorm\.(weight|bias)$", n));
        Assert.Contains("video_encoder.videomlp.LayerNorm.weight", names);
        Assert.Contains("video_encoder.bert.embeddings.LayerNorm.bias", names);
        Assert.Contains("text_encoder.encoder.layer.11.output.LayerNorm.weight", names);
    }
}
