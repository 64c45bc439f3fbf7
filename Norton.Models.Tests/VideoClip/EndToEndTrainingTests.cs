using Norton.Losses;
using Norton.Models.VideoClip;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.VideoClip;

/// <summary>Model -> NortonLoss -> backward -> optimiser step, at the reduced config A.</summary>
public class EndToEndTrainingTests
{
    // 2 long videos x 8 clips (Norton's length), 6 S3D seconds per clip, captions of up to 5 words.
    private const int N = 16, Tv = 6, Lc = 9;

    private static (Tensor caps, Tensor cmasks, Tensor vfeats, Tensor vmasks) Batch(Generator gen)
    {
        var vfeats = randn(N, Tv, 512, generator: gen);
        vfeats = vfeats / vfeats.norm(-1, keepdim: true);
        var vlen = randint(1, Tv + 1, N, generator: gen);
        var vmasks = arange(Tv).unsqueeze(0) < vlen.unsqueeze(1);
        // [CLS] [SEP] w1..wn [SEP] [PAD]...: n in 1..5, word ids from the reduced vocabulary (1000).
        var caps = zeros(N, Lc, dtype: int64);
        var cmasks = zeros(N, Lc, dtype: ScalarType.Bool);
        var n = randint(1, 6, N, generator: gen);
        for (int i = 0; i < N; i++)
        {
            int len = (int)n[i].item<long>();
            caps[i, 0] = 101; caps[i, 1] = 102;
            for (int w = 0; w < len; w++) caps[i, 2 + w] = randint(110, 999, 1, generator: gen)[0];
            caps[i, 2 + len] = 102;
            cmasks[i, TensorIndex.Slice(0, 3 + len)] = true;
        }
        return (caps, cmasks, vfeats, vmasks);
    }

    private static bool Same(Tensor a, Tensor b) => a.eq(b).all().item<bool>();

    private static Dictionary<string, Tensor> Snapshot(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    [Fact]
    public void OneOptimiserStepChangesTheWeights()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var gen = new Generator(7);
        using var model = new VideoTextModel(FixtureConfigs.ReducedA);
        using var loss = new NortonLoss();
        model.train();
        var before = Snapshot(model);
        var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        var (caps, cmasks, vfeats, vmasks) = Batch(gen);

        optimizer.zero_grad();
        using var output = model.forward(caps, cmasks, vfeats, vmasks);
        var (video, text) = output.ToLossInputs();
        var result = loss.forward(video, text);
        Assert.True(double.IsFinite(result.Loss.item<float>()), $"loss {result.Loss.item<float>()}");
        result.Loss.backward();
        optimizer.step();

        var after = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        int changed = before.Count(kv => !Same(kv.Value, after[kv.Key]));
        // Every parameter that reaches the loss moves; the pooler and the unused token-type rows may not.
        Assert.True(changed > before.Count * 0.8, $"{changed} of {before.Count} parameter tensors changed");
        Assert.False(Same(before["video_encoder.videomlp.linear1.weight"], after["video_encoder.videomlp.linear1.weight"]));
        Assert.False(Same(before["text_encoder.encoder.layer.0.attention.self.query.weight"], after["text_encoder.encoder.layer.0.attention.self.query.weight"]));
    }

    [Fact]
    public void LayerNormOnlyStepChangesOnlyLayerNorms()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var gen = new Generator(8);
        using var model = new VideoTextModel(FixtureConfigs.ReducedA);
        using var loss = new NortonLoss();
        model.UseLayerNormOnly();
        model.train();
        var before = Snapshot(model);
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad), lr: 1e-2);
        var (caps, cmasks, vfeats, vmasks) = Batch(gen);

        using var output = model.forward(caps, cmasks, vfeats, vmasks);
        var (video, text) = output.ToLossInputs();
        loss.forward(video, text).Loss.backward();
        optimizer.step();

        foreach (var (name, p) in model.named_parameters())
        {
            bool isLayerNorm = name.Contains("LayerNorm") || name.Contains("layernorm") || name.Contains("layer_norm");
            bool moved = !Same(before[name], p);
            if (!isLayerNorm) Assert.False(moved, $"{name} moved in layernorm-only mode");
        }
        Assert.Contains(model.named_parameters(), np => (np.name.Contains("LayerNorm") || np.name.Contains("layernorm")) && !Same(before[np.name], np.parameter));
    }
}
