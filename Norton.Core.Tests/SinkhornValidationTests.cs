using Norton.Core.OptimalTransport;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Core.Tests;

/// <summary>Bad input gets an ArgumentException naming the argument, what was expected and what came.</summary>
public class SinkhornValidationTests
{
    private static T Throws<T>(Action action, string argument, params string[] fragments) where T : ArgumentException
    {
        var ex = Assert.Throws<T>(action);
        Assert.Equal(argument, ex.ParamName);
        foreach (var f in fragments) Assert.Contains(f, ex.Message);
        return ex;
    }

    [Fact]
    public void WrongRankIsRejected()
    {
        using var s = randn(2, 3, 4, 5);
        Throws<ArgumentException>(() => new TransportProblem(s), "scores", "rank 2 or 3", "[2, 3, 4, 5]");
        using var v = randn(4);
        Throws<ArgumentException>(() => new TransportProblem(v), "scores", "rank 2 or 3", "[4]");
    }

    [Fact]
    public void IntegerScoresAreRejected()
    {
        using var s = ones(3, 3, dtype: int64);
        Throws<ArgumentException>(() => new TransportProblem(s), "scores", "floating-point", "Int64");
    }

    [Fact]
    public void EmptyScoresAreRejected()
    {
        using var s = randn(2, 0, 3);
        Throws<ArgumentException>(() => new TransportProblem(s), "scores", "empty", "[2, 0, 3]");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteScoresAreRejectedWithTheirIndex(double bad)
    {
        using var s = zeros(2, 3, 4);
        s[1, 2, 0] = tensor(bad, float32);
        // Built without reading a value; the solve's value checks report it.
        var problem = new TransportProblem(s);
        Throws<ArgumentException>(() => Sinkhorn.Solve(problem, SinkhornOptions.Norton), "scores", "finite", "[1, 2, 0]");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonPositiveEpsilonIsRejected(double eps)
    {
        Throws<ArgumentOutOfRangeException>(() => _ = new SinkhornOptions { Epsilon = eps }, "Epsilon", "> 0");
    }

    [Fact]
    public void NegativeIterationCountsAreRejected()
    {
        Throws<ArgumentOutOfRangeException>(() => _ = new SinkhornOptions { MaxIterations = -1 }, "MaxIterations", ">= 0", "-1");
        Throws<ArgumentOutOfRangeException>(() => _ = new SinkhornOptions { CheckEvery = 0 }, "CheckEvery", ">= 1");
        Throws<ArgumentOutOfRangeException>(() => _ = new SinkhornOptions { Tolerance = 0 }, "Tolerance", "> 0");
    }

    [Fact]
    public void MismatchedMaskBatchIsRejected()
    {
        using var s = randn(3, 4, 5);
        using var rowMask = ones(2, 4, dtype: ScalarType.Bool);
        Throws<ArgumentException>(() => new TransportProblem(s, rowMask: rowMask), "rowMask", "[3, 4]", "[2, 4]");
        using var colMask = ones(3, 4, dtype: ScalarType.Bool);
        Throws<ArgumentException>(() => new TransportProblem(s, columnMask: colMask), "columnMask", "[3, 5]", "[3, 4]");
        using var floatMask = ones(3, 4);
        Throws<ArgumentException>(() => new TransportProblem(s, rowMask: floatMask), "rowMask", "bool", "Float32");
    }

    [Fact]
    public void MaskWithoutValidEntryIsRejected()
    {
        using var s = randn(2, 3, 3);
        using var mask = ones(2, 3, dtype: ScalarType.Bool);
        mask[1] = tensor(false);
        Throws<ArgumentException>(() => Sinkhorn.Solve(new TransportProblem(s, rowMask: mask), SinkhornOptions.Norton), "rowMask", "problem 1");
        Throws<ArgumentException>(() => Sinkhorn.Solve(new TransportProblem(s, columnMask: mask), SinkhornOptions.Norton), "columnMask", "problem 1");
    }

    [Fact]
    public void NegativeOrUnequalMarginalsAreRejected()
    {
        using var s = randn(3, 3, dtype: float64);
        using var a = tensor(new[] { 0.5, 0.6, -0.1 });
        using var b = tensor(new[] { 1.0 / 3, 1.0 / 3, 1.0 / 3 });
        Throws<ArgumentException>(() => Sinkhorn.Solve(new TransportProblem(s, Marginals.FromWeights(a, b)), SinkhornOptions.Norton), "rows", "non-negative", "-0.1");
        using var a2 = tensor(new[] { 0.5, 0.5, 0.5 });
        Throws<ArgumentException>(() => Sinkhorn.Solve(new TransportProblem(s, Marginals.FromWeights(a2, b)), SinkhornOptions.Norton), "marginals", "equal mass", "1.5");
        using var nan = tensor(new[] { 0.5, double.NaN, 0.5 });
        Throws<ArgumentException>(() => Sinkhorn.Solve(new TransportProblem(s, Marginals.FromWeights(b, nan)), SinkhornOptions.Norton), "columns", "finite", "NaN");
        using var logNan = tensor(new[] { 0.0, double.NaN, 0.0 });
        Throws<ArgumentException>(() => Sinkhorn.Solve(new TransportProblem(s, Marginals.FromLogWeights(logNan, b.log())), SinkhornOptions.Norton), "logRows", "NaN or +infinity");
        using var wrong = tensor(new[] { 0.5, 0.5 });
        var ex = Assert.Throws<ArgumentException>(() => Sinkhorn.Solve(new TransportProblem(s, Marginals.FromWeights(wrong, wrong)), SinkhornOptions.Norton));
        Assert.Contains("[2]", ex.Message);
    }

    [Fact]
    public void NaNBucketIsRejected()
    {
        Throws<ArgumentException>(() => PromptBucket.Constant(double.NaN), "value", "finite", "NaN");
        using var s = randn(2, 3, 3);
        using var p = tensor(new[] { 0.1f, float.NaN });
        Throws<ArgumentException>(() => Sinkhorn.Solve(new TransportProblem(s, bucket: PromptBucket.FromTensor(p)), SinkhornOptions.Norton), "bucket", "finite", "NaN");
    }

    [Fact]
    public void BucketNeedsNortonMarginals()
    {
        using var s = randn(3, 3);
        Throws<ArgumentException>(() => new TransportProblem(s, Marginals.Uniform, bucket: PromptBucket.Constant(0)), "bucket", "SuperGlue");
    }

    [Theory]
    [InlineData(0.3, 3)]      // int(0.9) = 0: the original's kthvalue fails
    [InlineData(0.0, 10)]
    [InlineData(1.5, 10)]
    [InlineData(double.NaN, 10)]
    public void KOutOfRangeIsRejected(double ratio, long n)
    {
        Throws<ArgumentOutOfRangeException>(() => PromptBucket.RankFromRatio(ratio, n), "ratio");
        using var d = arange(5.0);
        Throws<ArgumentOutOfRangeException>(() => PromptBucket.KthSmallest(d, 6), "k", "[1, 5]", "6");
    }

    [Theory]
    [InlineData(0.3, 16, 4)]
    [InlineData(0.3, 1024, 307)]
    [InlineData(0.7, 90, 62)]   // int(0.7 * 90) = int(62.99999999999999) = 62 in Python
    [InlineData(0.7, 170, 118)]
    public void RankFromRatioTruncatesTheDoubleProductLikePython(double ratio, long n, long expected)
    {
        Assert.Equal(expected, PromptBucket.RankFromRatio(ratio, n));
    }

    [Fact]
    public void WarmStartOfWrongShapeIsRejected()
    {
        using var s = randn(2, 3, 4);
        using var f = zeros(2, 4);
        Throws<ArgumentException>(() => Sinkhorn.Solve(new TransportProblem(s), SinkhornOptions.Norton, initialF: f), "initialF", "[2, 3]", "[2, 4]");
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void ExtremeValidInputGivesFinitePlans(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        // Scores up to +-1e4 at epsilon 1e-3: kernel exponents of 1e7.
        var s = (rand(4, 6, 6, dtype: float64) * 2e4 - 1e4).to(dtype);
        using var r = Sinkhorn.Solve(new TransportProblem(s, bucket: PromptBucket.Constant(0.0)), new SinkhornOptions { Epsilon = 1e-3, MaxIterations = 50 });
        Assert.Equal(dtype, r.Plan.dtype);
        Assert.True(r.Plan.isfinite().all().item<bool>());
        Assert.True((r.Plan >= 0).all().item<bool>());
        Assert.True(r.F.to(float32).isfinite().all().item<bool>());
        // Columns are exact after the last sweep: each sums to ~1 in Norton's scaling.
        var colSums = r.AugmentedLogPlan!.to(float64).exp().sum(1)[.., ..6];
        Assert.True((colSums - 1).abs().max().item<double>() < (dtype == ScalarType.Float64 || dtype == ScalarType.Float32 ? 1e-3 : 0.05));
    }
}
