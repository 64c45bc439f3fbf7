using Norton.Core.Optimization;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Core.Tests.Optimization;

/// <summary>Norton's Adam against TorchSharp's own Adam/AdamW: same parameters, same gradients, several steps.</summary>
public class AdamTests
{
    /// <summary>Two parameter sets with equal values, a fixed sequence of gradients from a small regression.</summary>
    private static (nn.Module<Tensor, Tensor> Ours, nn.Module<Tensor, Tensor> Theirs) Pair(ScalarType dtype)
    {
        manual_seed(7);
        var a = nn.Sequential(nn.Linear(5, 7), nn.ReLU(), nn.Linear(7, 2)).to(dtype);
        var b = nn.Sequential(nn.Linear(5, 7), nn.ReLU(), nn.Linear(7, 2)).to(dtype);
        using (no_grad())
            foreach (var (pa, pb) in a.parameters().Zip(b.parameters()))
                pb.copy_(pa);
        return (a, b);
    }

    private static void Backward(nn.Module<Tensor, Tensor> net, int step, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)(100 + step));
        var x = randn([8, 5], generator: gen).to(dtype);
        var y = randn([8, 2], generator: gen).to(dtype);
        nn.functional.mse_loss(net.forward(x), y).backward();
    }

    [Theory]
    [InlineData(false, 0.0, ScalarType.Float32)]
    [InlineData(false, 0.1, ScalarType.Float32)]
    [InlineData(true, 0.01, ScalarType.Float32)]
    [InlineData(true, 0.05, ScalarType.Float64)]
    public void MatchesTorchSharpOverSeveralSteps(bool decoupled, double weightDecay, ScalarType dtype)
    {
        var (ours, theirs) = Pair(dtype);
        using var _1 = ours;
        using var _2 = theirs;
        var options = new AdamOptions { LearningRate = 0.01, Beta1 = 0.8, Beta2 = 0.95, Epsilon = 1e-6, WeightDecay = weightDecay, Decoupled = decoupled };
        using var adam = new Adam(ours.parameters(), options);
        using var reference = decoupled
            ? (optim.Optimizer)optim.AdamW(theirs.parameters(), lr: 0.01, beta1: 0.8, beta2: 0.95, eps: 1e-6, weight_decay: weightDecay)
            : optim.Adam(theirs.parameters(), lr: 0.01, beta1: 0.8, beta2: 0.95, eps: 1e-6, weight_decay: weightDecay);
        for (int step = 0; step < 6; step++)
        {
            Backward(ours, step, dtype);
            Backward(theirs, step, dtype);
            adam.Step();
            reference.step();
            adam.ZeroGrad();
            reference.zero_grad();
        }
        foreach (var (pa, pb) in ours.parameters().Zip(theirs.parameters()))
        {
            double diff = (pa - pb).abs().max().to(ScalarType.Float64).item<double>();
            Assert.True(diff == 0, $"parameter differs from TorchSharp's by {diff} after 6 steps");
        }
        Assert.Equal(6, adam.StepCount(0));
    }

    [Fact]
    public void SkipsParametersWithoutGradient()
    {
        var w = ones(3).requires_grad_();
        var frozen = ones(2).requires_grad_();
        using var adam = new Adam([w, frozen], new AdamOptions { LearningRate = 0.5 });
        w.sum().backward();
        adam.Step();
        Assert.Equal(1, adam.StepCount(0));
        Assert.Equal(0, adam.StepCount(1));
        // First Adam step moves each coordinate by lr * g/|g| (bias-corrected) = 0.5 (up to eps).
        Assert.Equal(0.5f, w[0].item<float>(), 1e-5f);
        Assert.Equal(1f, frozen[0].item<float>());
    }

    [Fact]
    public void StateDictRoundTripContinuesIdentically()
    {
        var (a, b) = Pair(ScalarType.Float32);
        using var _1 = a;
        using var _2 = b;
        var options = new AdamOptions { LearningRate = 0.02 };
        using var first = new Adam(a.parameters(), options);
        using var second = new Adam(b.parameters(), options);
        for (int step = 0; step < 3; step++)
        {
            Backward(a, step, ScalarType.Float32);
            first.Step();
            first.ZeroGrad();
        }
        using (no_grad())
            foreach (var (pa, pb) in a.parameters().Zip(b.parameters()))
                pb.copy_(pa);
        var state = first.StateDict();
        second.LoadStateDict(state);
        foreach (var t in state.Values) t.Dispose();
        for (int step = 3; step < 5; step++)
        {
            Backward(a, step, ScalarType.Float32);
            Backward(b, step, ScalarType.Float32);
            first.Step();
            second.Step();
            first.ZeroGrad();
            second.ZeroGrad();
        }
        foreach (var (pa, pb) in a.parameters().Zip(b.parameters()))
            Assert.True((pa - pb).abs().max().item<float>() == 0, "a restored optimiser must continue exactly as the original");
        Assert.Equal(5, second.StepCount(0));
    }

    [Fact]
    public void BadInputIsRejectedWithTheArgumentsName()
    {
        Assert.Throws<ArgumentException>(() => new Adam(Array.Empty<Tensor>()));
        var p = ones(2).requires_grad_();
        Assert.Throws<ArgumentException>(() => new Adam([p, p]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptions { Beta1 = 1.0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptions { LearningRate = double.NaN });
        using var adam = new Adam([p]);
        var bad = new Dictionary<string, Tensor> { ["0.exp_avg"] = zeros(3), ["0.exp_avg_sq"] = zeros(2), ["0.step"] = tensor(1L) };
        var e = Assert.Throws<ArgumentException>(() => adam.LoadStateDict(bad));
        Assert.Contains("0.exp_avg", e.Message);
    }
}
