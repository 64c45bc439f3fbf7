using Norton.Core.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Core.Tests.Optimization;

/// <summary>Norton's ClipGradNorm against TorchSharp's <c>clip_grad_norm_</c> (libtorch's own implementation).</summary>
public class ClipGradNormTests
{
    private static (Parameter[] Ours, Parameter[] Theirs) Gradients(double scale)
    {
        using var gen = new Generator(11);
        Parameter Make(long[] shape)
        {
            var p = new Parameter(zeros(shape));
            using var g = randn(shape, generator: gen);
            using var s = scale.ToScalar();
            p.grad = g.mul(s);
            return p;
        }
        var ours = new[] { Make([3, 4]), Make([5]), Make([2, 2, 2]) };
        var theirs = ours.Select(p =>
        {
            var q = new Parameter(zeros(p.shape));
            q.grad = p.grad!.clone();
            return q;
        }).ToArray();
        return (ours, theirs);
    }

    [Theory]
    [InlineData(10.0, 1.0, 2.0)]    // clipped
    [InlineData(0.01, 100.0, 2.0)]  // below the limit: unchanged
    [InlineData(3.0, 0.5, 1.0)]
    [InlineData(3.0, 0.5, double.PositiveInfinity)]
    public void MatchesTorchSharp(double scale, double maxNorm, double normType)
    {
        var (ours, theirs) = Gradients(scale);
        using var total = ClipGradNorm.Apply(ours, maxNorm, normType);
        double expected = nn.utils.clip_grad_norm_(theirs, maxNorm, normType);
        Assert.Equal(expected, total.item<float>(), 1e-5 * Math.Max(1, expected));
        for (int i = 0; i < ours.Length; i++)
        {
            double diff = (ours[i].grad! - theirs[i].grad!).abs().max().item<float>();
            Assert.True(diff <= 1e-6, $"gradient {i} differs from TorchSharp's clip_grad_norm_ by {diff}");
        }
    }

    [Fact]
    public void NoGradientsGiveZeroAndBadArgumentsThrow()
    {
        var p = new Parameter(zeros(2));
        using var total = ClipGradNorm.Apply([p], 1.0);
        Assert.Equal(0f, total.item<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => ClipGradNorm.Apply([p], -1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClipGradNorm.Apply([p], 1.0, 0.0));
    }
}
