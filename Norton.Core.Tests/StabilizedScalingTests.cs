using Norton.Core.OptimalTransport;
using Norton.TestSupport;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Core.Tests;

/// <summary>The scaling-with-absorption path of large problems against the log-domain torch path.</summary>
public class StabilizedScalingTests
{
    private static void AssertSameAsLogDomain(TransportProblem problem, SinkhornOptions options, Tensor? f0 = null, Tensor? g0 = null, double rtol = 0,
        SinkhornBackend autoPicks = SinkhornBackend.Scaling)
    {
        var dtype = problem.Scores.dtype;
        using var fast = Sinkhorn.Solve(problem, options, f0, g0);
        Assert.Equal(autoPicks, fast.Backend);
        using var logDomain = Sinkhorn.Solve(problem, options with { Backend = SinkhornBackend.LogDomain }, f0, g0);
        Assert.Equal(SinkhornBackend.LogDomain, logDomain.Backend);
        {
            (double r, double a) = dtype == ScalarType.Float64 ? (1e-9, 1e-12) : (1e-4, 1e-4);
            Tolerance.AssertClose(logDomain.Plan, fast.Plan, Math.Max(r, rtol), a, 0, "plan");
            Tolerance.AssertClose(logDomain.LogPlan.clamp_min(-30), fast.LogPlan.clamp_min(-30), Math.Max(r, rtol), a, 0, "log plan");
            // Potentials are compared up to their gauge (f + c, g - c), which the paths fix differently only by rounding.
            Tolerance.AssertClose(logDomain.F + logDomain.G[.., ..1], fast.F + fast.G[.., ..1], Math.Max(r, rtol), a, 0, "f + g0");
            Assert.Equal(logDomain.Iterations, fast.Iterations);
            Tolerance.AssertClose(logDomain.MarginalError, fast.MarginalError, 1e-3, 0, dtype == ScalarType.Float64 ? 1e-12 : 1e-6, "marginal error");
        }
    }

    [Theory]
    [InlineData(ScalarType.Float64, 1.0, 50)]
    [InlineData(ScalarType.Float64, 0.5, 7)]
    [InlineData(ScalarType.Float32, 1.0, 50)]
    [InlineData(ScalarType.Float32, 1.0, 1)]
    public void ClipCaptionSizedProblemMatchesTheLogDomainIterate(ScalarType dtype, double eps, int iterations)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(11);
        // Raw dot products of features, N(0, 3^2): the paper's clip-caption logits (spread about 30).
        var s = (randn(2, 96, 128, dtype: float64, generator: gen) * 3).to(dtype);
        AssertSameAsLogDomain(new TransportProblem(s), new SinkhornOptions { Epsilon = eps, MaxIterations = iterations });
    }

    [Fact]
    public void BucketProblemAndWarmStartMatch()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(12);
        var s = rand(1, 80, 80, dtype: float64, generator: gen);
        var problem = new TransportProblem(s, bucket: PromptBucket.Constant(0.4));
        var options = new SinkhornOptions { Epsilon = 0.1, MaxIterations = 30 };
        AssertSameAsLogDomain(problem, options);
        var f0 = randn(1, 81, dtype: float64, generator: gen);
        var g0 = randn(1, 81, dtype: float64, generator: gen);
        AssertSameAsLogDomain(problem, options, f0, g0);
    }

    [Fact]
    public void WideSpreadFallsBackAndStillMatches()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(13);
        var s = randn(1, 70, 70, generator: gen) * 100; // spread far beyond float32's safe range for scaling
        AssertSameAsLogDomain(new TransportProblem(s), new SinkhornOptions { Epsilon = 1, MaxIterations = 20 }, autoPicks: SinkhornBackend.LogDomain);
    }
}
