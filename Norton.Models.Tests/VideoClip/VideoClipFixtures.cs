using System.Text.Json;
using Norton.Models.Bert;
using Norton.Models.Checkpoints;
using Norton.Models.VideoClip;
using Norton.TestSupport;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.VideoClip;

/// <summary>Builds models from a fixture's meta.json config and compares with the fixtures' tolerance rule.</summary>
internal static class VideoClipFixtures
{
    /// <summary>The videoclip fixtures' rule: <c>|a-b| &lt;= 1e-4 + 1e-4|b|</c>.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, string what) =>
        Tolerance.AssertClose(expected, actual, rtol: 1e-4, atolRelativeToMax: 0, atol: 1e-4, what);

    /// <summary>Exact equality (masks, ids), with the first differing element in the message.</summary>
    public static void AssertEqual(Tensor expected, Tensor actual, string what)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", expected.shape)}]");
        Assert.True(expected.dtype == actual.dtype, $"{what}: dtype {actual.dtype}, expected {expected.dtype}");
        using var scope = NewDisposeScope();
        var differs = expected.ne(actual).flatten();
        if (differs.any().item<bool>())
        {
            long idx = differs.to(int64).argmax().item<long>();
            Assert.Fail($"{what}: element {idx} got {actual.flatten()[idx].ToString(TorchSharp.TensorStringStyle.Numpy)}, expected {expected.flatten()[idx].ToString(TorchSharp.TensorStringStyle.Numpy)}");
        }
    }

    /// <summary>The BERT sizes of meta.json → config.</summary>
    public static BertConfig Bert(JsonElement meta)
    {
        var c = meta.GetProperty("config");
        return new BertConfig(
            c.GetProperty("vocab_size").GetInt32(),
            c.GetProperty("hidden_size").GetInt32(),
            c.GetProperty("num_hidden_layers").GetInt32(),
            c.GetProperty("num_attention_heads").GetInt32(),
            c.GetProperty("intermediate_size").GetInt32(),
            c.GetProperty("max_position_embeddings").GetInt32(),
            c.GetProperty("type_vocab_size").GetInt32(),
            c.GetProperty("layer_norm_eps").GetDouble(),
            c.GetProperty("hidden_dropout_prob").GetDouble(),
            c.GetProperty("attention_probs_dropout_prob").GetDouble());
    }

    /// <summary>A model whose both towers have the fixture's BERT sizes (the text fixtures carry no video settings:
    /// then the video tower gets harmless defaults, it is not used).</summary>
    public static VideoTextModel Model(Fixture fx)
    {
        var bert = Bert(fx.Meta);
        var c = fx.Meta.GetProperty("config");
        int maxVideoLen = c.TryGetProperty("max_video_len", out var m) ? m.GetInt32() : Math.Min(8, bert.MaxPositionEmbeddings - 2);
        int inputDim = c.TryGetProperty("input_dim", out var d) ? d.GetInt32() : 512;
        double eps = c.TryGetProperty("video_mlp_layer_norm_eps", out var e) ? e.GetDouble() : 1e-5;
        var model = new VideoTextModel(new VideoClipConfig(bert, bert, maxVideoLen, inputDim, eps));
        model.eval();
        return model;
    }

    /// <summary>Loads the fixture's weights (keys <c>video_encoder.*</c> or <c>text_encoder.*</c>) strictly into that tower.</summary>
    public static CheckpointLoadReport LoadTower(VideoTextModel model, Fixture fx, string prefix)
    {
        TorchSharp.torch.nn.Module tower = prefix == "video_encoder." ? model.VideoEncoder : model.TextEncoder;
        return CheckpointLoader.Load(tower, fx.WeightsPath, new CheckpointLoadOptions(Prefix: prefix));
    }
}
