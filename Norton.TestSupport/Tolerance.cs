using Norton.Core;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.TestSupport;

/// <summary>The comparison rule of testdata/golden/FORMAT.md, and a general element-wise rule.</summary>
public static class Tolerance
{
    /// <summary>
    /// Golden rule: float64 <c>|got-exp| &lt;= 1e-9|exp| + 1e-12 max|exp|</c>; float32
    /// <c>|got-exp| &lt;= 1e-4|exp| + 1e-4 max|exp|</c>.
    /// </summary>
    public static void AssertGolden(Tensor expected, Tensor actual, ScalarType caseDType, string what)
    {
        (double rtol, double atolRel) = caseDType == ScalarType.Float64 ? (1e-9, 1e-12) : (1e-4, 1e-4);
        AssertClose(expected, actual, rtol, atolRel, 0, what);
    }

    /// <summary>Golden rule for a scalar.</summary>
    public static void AssertGolden(double expected, double actual, ScalarType caseDType, string what)
    {
        using var e = tensor(expected, float64);
        using var a = tensor(actual, float64);
        AssertGolden(e, a, caseDType, what);
    }

    /// <summary>
    /// Element-wise <c>|a-e| &lt;= rtol|e| + atolRelativeToMax max|e| + atol</c>, compared in float64; reports the
    /// worst element on failure.
    /// </summary>
    public static void AssertClose(Tensor expected, Tensor actual, double rtol, double atolRelativeToMax, double atol, string what)
    {
        using var scope = NewDisposeScope();
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", expected.shape)}]");
        var e = expected.detach().to(float64).cpu();
        var a = actual.detach().to(float64).cpu();
        Assert.True(a.isfinite().all().item<bool>(), $"{what}: non-finite values in result");
        if (e.numel() == 0) return;
        double maxAbs = e.abs().max().item<double>();
        var diff = (a - e).abs();
        using var rtolScalar = rtol.ToScalar();
        using var atolScalar = (atolRelativeToMax * maxAbs + atol).ToScalar();
        var bound = e.abs().mul(rtolScalar).add(atolScalar, Scalars.One);
        var excess = diff - bound;
        double worst = excess.max().item<double>();
        if (worst > 0)
        {
            long idx = excess.flatten().argmax().item<long>();
            double ev = e.flatten()[idx].item<double>(), av = a.flatten()[idx].item<double>();
            Assert.Fail($"{what}: element {idx} got {av:R}, expected {ev:R} (|diff| {Math.Abs(av - ev):E3} > bound {bound.flatten()[idx].item<double>():E3}; max|exp| {maxAbs:E3})");
        }
    }
}
