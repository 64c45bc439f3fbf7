using Norton.Core.Features;
using Norton.Losses;
using Norton.Models;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Training.Tests.Training;

/// <summary>Activation recomputation changes memory, not maths: the same gradients as the plain backward.</summary>
public sealed class RecomputationTests
{
    private static Dictionary<string, Tensor> Gradients(VideoTextModel model, NortonLoss loss, bool recompute)
    {
        var data = TinySetup.Data();
        var batch = data.LoadBatch(["a", "b"], new Norton.Training.Sampling.SplitMix64(3));
        using var inputs = BatchTensors.From(batch, 8, CPU, ScalarType.Float32);
        model.UseActivationRecomputation(recompute);
        model.zero_grad();
        manual_seed(11);   // the same dropout masks in both runs
        using var output = model.forward(inputs.Caps, inputs.CapsMask, inputs.VideoFeatures, inputs.VideoMask);
        var (video, text) = output.ToLossInputs();
        using var result = loss.forward(video, text);
        result.Loss.backward();
        return model.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
    }

    [Fact]
    public void GradientsEqualThePlainBackwardWithDropoutOn()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var model = new VideoTextModel(TinySetup.Model);
        using var loss = new NortonLoss(NortonLossOptions.Paper with { Length = TinySetup.Clips, SinkhornIterations = 10 });
        model.train();
        var plain = Gradients(model, loss, recompute: false);
        var recomputed = Gradients(model, loss, recompute: true);
        Assert.Equal(plain.Keys.Order(), recomputed.Keys.Order());
        Assert.Contains(plain.Keys, k => k.Contains("encoder.layer.0.attention.self.query.weight"));
        var bad = plain.Where(kv => !kv.Value.allclose(recomputed[kv.Key], rtol: 1e-5, atol: 1e-7)).Select(kv => kv.Key + " " + (kv.Value - recomputed[kv.Key]).abs().max().item<float>() + " " + kv.Value.abs().max().item<float>()).ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
        foreach (var (name, g) in plain)
            Assert.True(g.allclose(recomputed[name], rtol: 1e-5, atol: 1e-7), $"{name}: max difference {(g - recomputed[name]).abs().max().item<float>()}");
    }

    [Fact]
    public void LayerNormOnlyTrainingGetsTheSameGradients()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = new VideoTextModel(TinySetup.Model);
        using var loss = new NortonLoss(NortonLossOptions.Paper with { Length = TinySetup.Clips, SinkhornIterations = 10 });
        model.UseLayerNormOnly();
        model.train();
        var plain = Gradients(model, loss, recompute: false);
        var recomputed = Gradients(model, loss, recompute: true);
        Assert.Equal(plain.Keys.Order(), recomputed.Keys.Order());
        foreach (var (name, g) in plain)
            Assert.True(g.allclose(recomputed[name], rtol: 1e-5, atol: 1e-7), name);
    }
}
