using Norton.Core.OptimalTransport;
using Norton.TestSupport;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Core.Tests;

/// <summary>
/// <see cref="SinkhornOptions.Backend"/>: each backend can be named and is reported on the result, Auto picks what the
/// solver picked before the option existed, and a named backend that cannot run the problem is refused, not replaced.
/// </summary>
public class SinkhornBackendTests
{
    private static SinkhornResult Solve(TransportProblem problem, SinkhornBackend backend, SinkhornOptions? options = null) =>
        Sinkhorn.Solve(problem, (options ?? new SinkhornOptions { MaxIterations = 10 }) with { Backend = backend });

    [Fact]
    public void DefaultIsAuto() => Assert.Equal(SinkhornBackend.Auto, new SinkhornOptions().Backend);

    [Fact]
    public void UndefinedValueIsRejectedWithTheOptionName()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SinkhornOptions { Backend = (SinkhornBackend)42 });
        Assert.Equal("Backend", e.ParamName);
    }

    [Theory]
    [InlineData(SinkhornBackend.LogDomain)]
    [InlineData(SinkhornBackend.Scaling)]
    [InlineData(SinkhornBackend.FusedCpu)]
    public void EachBackendRunsWhenNamedAndAgreesWithTheLogDomain(SinkhornBackend backend)
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(31);
        // 3 problems of 20 x 24 float64: every backend can run them (Auto would pick the fused kernel).
        var problem = new TransportProblem(randn(3, 20, 24, dtype: float64, generator: gen));
        using var named = Solve(problem, backend);
        using var reference = Solve(problem, SinkhornBackend.LogDomain);
        Assert.Equal(backend, named.Backend);
        Assert.Equal(backend == SinkhornBackend.FusedCpu, named.FusedStatistics is not null);
        Tolerance.AssertClose(reference.Plan, named.Plan, 1e-9, 1e-12, 0, "plan");
        Tolerance.AssertClose(reference.MarginalError, named.MarginalError, 1e-6, 1e-12, 0, "marginal error");
    }

    [Fact]
    public void AutoKeepsTheFusedKernelForSmallCpuBatches()
    {
        using var scope = NewDisposeScope();
        using var r = Solve(new TransportProblem(rand(16, 8, 8), bucket: PromptBucket.Constant(0.5)), SinkhornBackend.Auto);
        Assert.Equal(SinkhornBackend.FusedCpu, r.Backend);
    }

    [Fact]
    public void AutoKeepsScalingForLargeDetachedProblems()
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(32);
        using var r = Solve(new TransportProblem(randn(96, 96, generator: gen)), SinkhornBackend.Auto);
        Assert.Equal(SinkhornBackend.Scaling, r.Backend);
    }

    [Fact]
    public void AutoKeepsTheLogDomainForMasksAutogradAndMidSizedProblems()
    {
        using var scope = NewDisposeScope();
        var mask = ones(2, 5, dtype: ScalarType.Bool);
        mask[0, 4] = false;
        using var masked = Solve(new TransportProblem(rand(2, 5, 5), rowMask: mask), SinkhornBackend.Auto);
        Assert.Equal(SinkhornBackend.LogDomain, masked.Backend);
        using var unrolled = Solve(new TransportProblem(rand(2, 5, 5)), SinkhornBackend.Auto,
            new SinkhornOptions { MaxIterations = 3, Gradient = SinkhornGradient.Unrolled });
        Assert.Equal(SinkhornBackend.LogDomain, unrolled.Backend);
        // 65 columns: past the fused kernel's 64, under the scaling domain's 4,096 entries.
        using var midSized = Solve(new TransportProblem(rand(2, 30, 65)), SinkhornBackend.Auto);
        Assert.Equal(SinkhornBackend.LogDomain, midSized.Backend);
    }

    [Fact]
    public void FusedCpuRefusesMasksAutogradRelaxationAndLargeProblems()
    {
        using var scope = NewDisposeScope();
        var mask = ones(2, 5, dtype: ScalarType.Bool);
        mask[0, 4] = false;
        AssertRefused(new TransportProblem(rand(2, 5, 5), rowMask: mask), SinkhornBackend.FusedCpu, new SinkhornOptions(), "masks");
        AssertRefused(new TransportProblem(rand(2, 5, 5)), SinkhornBackend.FusedCpu,
            new SinkhornOptions { Gradient = SinkhornGradient.Unrolled }, "autograd");
        AssertRefused(new TransportProblem(rand(2, 5, 5), relaxation: new KlRelaxation(1.0, 1.0)), SinkhornBackend.FusedCpu,
            new SinkhornOptions(), "KlRelaxation");
        AssertRefused(new TransportProblem(rand(1, 65, 3)), SinkhornBackend.FusedCpu, new SinkhornOptions(), "at most 64 rows and columns");
    }

    [Fact]
    public void ScalingRefusesToleranceAnnealingAndAWideSpread()
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(33);
        var s = randn(1, 70, 70, generator: gen);
        AssertRefused(new TransportProblem(s), SinkhornBackend.Scaling, new SinkhornOptions { Tolerance = 1e-6 }, "Tolerance");
        AssertRefused(new TransportProblem(s), SinkhornBackend.Scaling,
            new SinkhornOptions { Annealing = new EpsilonAnnealing { Initial = 4.0, Decay = 0.5 } }, "anneal");
        AssertRefused(new TransportProblem(s.mul(tensor(100f))), SinkhornBackend.Scaling, new SinkhornOptions { MaxIterations = 5 }, "spread");
    }

    private static void AssertRefused(TransportProblem problem, SinkhornBackend backend, SinkhornOptions options, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => Sinkhorn.Solve(problem, options with { Backend = backend }));
        Assert.Equal("options", e.ParamName);
        Assert.Contains($"SinkhornOptions.Backend is {backend}", e.Message);
        Assert.Contains(reason, e.Message);
    }
}
