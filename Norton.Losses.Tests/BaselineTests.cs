using Norton.Losses.Baselines;
using Norton.TestSupport;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Losses.Tests;

public class BaselineTests
{
    private static (Tensor V, Tensor T) Pair(long n, long d, int seed)
    {
        var gen = new Generator().manual_seed(seed);
        return (randn(n, d, dtype: ScalarType.Float64, generator: gen), randn(n, d, dtype: ScalarType.Float64, generator: gen));
    }

    private static double[,] Matrix(Tensor t)
    {
        var a = t.to(ScalarType.Float64).contiguous().data<double>().ToArray();
        long n = t.shape[0], m = t.shape[1];
        var r = new double[n, m];
        for (long i = 0; i < n; i++) for (long j = 0; j < m; j++) r[i, j] = a[i * m + j];
        return r;
    }

    private static double Lse(IEnumerable<double> xs)
    {
        var v = xs.ToArray();
        double m = v.Max();
        return m + Math.Log(v.Sum(x => Math.Exp(x - m)));
    }

    [Theory]
    [InlineData(1.0, false)]
    [InlineData(0.07, true)]
    public void InfoNceMatchesItsDefinition(double temperature, bool normalize)
    {
        using var scope = NewDisposeScope();
        var (v, t) = Pair(6, 5, 3);
        var vv = normalize ? v / v.norm(1, keepdim: true) : v;
        var tt = normalize ? t / t.norm(1, keepdim: true) : t;
        var s = Matrix(vv.mm(tt.t()) / temperature);
        int n = 6;
        double expected = 0;
        for (int i = 0; i < n; i++)
        {
            expected += (Lse(Enumerable.Range(0, n).Select(j => s[i, j])) - s[i, i]) / n;   // video -> text
            expected += (Lse(Enumerable.Range(0, n).Select(j => s[j, i])) - s[i, i]) / n;   // text -> video
        }
        double got = new InfoNceLoss(temperature, normalize).forward(v, t).item<double>();
        Assert.Equal(expected, got, 12);
    }

    [Fact]
    public void InfoNceEqualsClipCaptionLossWithoutOt()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Pair(8, 4, 5);
        double info = new InfoNceLoss().forward(v, t).item<double>();
        using var clipLoss = new ClipCaptionLoss(new NortonLossOptions { SinkhornIterations = null, SequenceContrastWeight = null });
        using var clipResult = clipLoss.forward(v, t);
        double clip = clipResult.Loss.item<double>();
        Assert.Equal(info, clip, 14);
    }

    [Fact]
    public void NeighbourMaskKeepsWindowInsideLongVideo()
    {
        using var scope = NewDisposeScope();
        var mask = MilNceLoss.NeighbourMask(6, 3, 1);
        bool[,] expected =
        {
            { true, true, false, false, false, false },
            { true, true, true, false, false, false },
            { false, true, true, false, false, false },
            { false, false, false, true, true, false },
            { false, false, false, true, true, true },
            { false, false, false, false, true, true },
        };
        for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++)
            Assert.Equal(expected[i, j], mask[i, j].item<bool>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void MilNceMatchesItsDefinition(int window)
    {
        using var scope = NewDisposeScope();
        int n = 8;
        var (v, t) = Pair(n, 5, 11 + window);
        var mask = MilNceLoss.NeighbourMask(n, 4, window);
        var s = Matrix(v.mm(t.t()) / 0.5);
        double expected = 0;
        for (int i = 0; i < n; i++)
        {
            var pos = Enumerable.Range(0, n).Where(j => mask[i, j].item<bool>()).ToArray();
            var denominator = Enumerable.Range(0, n).Select(j => s[i, j])
                .Concat(pos.SelectMany(j => Enumerable.Range(0, n).Select(k => s[k, j])));
            expected += (Lse(denominator) - Lse(pos.Select(j => s[i, j]))) / n;
        }
        double got = new MilNceLoss(0.5).forward(v, t, mask).item<double>();
        Assert.Equal(expected, got, 12);
    }

    [Fact]
    public void MilNceRejectsAClipWithoutCandidates()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Pair(4, 3, 1);
        var mask = eye(4, dtype: ScalarType.Bool);
        mask[2, 2] = tensor(false);
        var e = Assert.Throws<ArgumentException>(() => new MilNceLoss().forward(v, t, mask));
        Assert.Contains("row 2", e.Message);
    }

    [Fact]
    public void BaselinesGiveGradients()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Pair(8, 4, 9);
        v.requires_grad_();
        t.requires_grad_();
        (new InfoNceLoss().forward(v, t) + new MilNceLoss().forward(v, t, MilNceLoss.NeighbourMask(8, 4, 1))).backward();
        Assert.True(v.grad is not null && v.grad.abs().sum().item<double>() > 0);
        Assert.True(t.grad is not null && t.grad.abs().sum().item<double>() > 0);
    }
}
