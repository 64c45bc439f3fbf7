using Norton.Core.OptimalTransport;
using Norton.TestSupport;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Core.Tests;

/// <summary>
/// The fused CPU kernel against the torch path (the reference implementation of the same sweeps, itself checked by the
/// golden Sinkhorn cases): same plans, potentials, iteration counts and convergence flags, within the golden tolerance.
/// </summary>
public class FusedSinkhornKernelTests
{
    private static Tensor Uniform(Generator gen, ScalarType dtype, params long[] shape) => rand(shape, dtype: dtype, generator: gen);

    /// <summary>Solves with the fused kernel and with the torch path; returns the kernel's statistics.</summary>
    private static FusedSinkhornKernel.RunStatistics CompareWithTorchPath(TransportProblem problem, SinkhornOptions options,
        Tensor? initialF = null, Tensor? initialG = null)
    {
        var dtype = problem.Scores.dtype;
        using var fused = Sinkhorn.Solve(problem, options, initialF, initialG);
        Assert.Equal(SinkhornBackend.FusedCpu, fused.Backend);
        var stats = fused.FusedStatistics;
        Assert.NotNull(stats);
        using var torchPath = Sinkhorn.Solve(problem, options with { Backend = SinkhornBackend.LogDomain }, initialF, initialG);
        Assert.Equal(SinkhornBackend.LogDomain, torchPath.Backend);
        Assert.Null(torchPath.FusedStatistics);
        {
            Tolerance.AssertGolden(torchPath.LogPlan, fused.LogPlan, dtype, "log plan");
            Tolerance.AssertGolden(torchPath.Plan, fused.Plan, dtype, "plan");
            Tolerance.AssertGolden(torchPath.F, fused.F, dtype, "f");
            Tolerance.AssertGolden(torchPath.G, fused.G, dtype, "g");
            Assert.Equal(torchPath.AugmentedLogPlan is null, fused.AugmentedLogPlan is null);
            if (torchPath.AugmentedLogPlan is not null)
                Tolerance.AssertGolden(torchPath.AugmentedLogPlan, fused.AugmentedLogPlan!, dtype, "augmented log plan");
            Assert.Equal(torchPath.Iterations, fused.Iterations);
            Assert.Equal(torchPath.ProblemIterations.data<long>().ToArray(), fused.ProblemIterations.data<long>().ToArray());
            Assert.Equal(ScalarType.Float64, fused.MarginalError.dtype);
            // The error is a small difference of marginals: compare it relatively, down to the dtype's round-off.
            double atol = dtype == ScalarType.Float64 ? 1e-12 : 1e-5;
            Tolerance.AssertClose(torchPath.MarginalError, fused.MarginalError, 1e-4, 0, atol, "marginal error");
            // Converged flags must agree except where the error is within round-off of the tolerance (float32 errors
            // near the default 1e-6 are round-off themselves).
            double tolerance = options.Tolerance ?? SinkhornResult.DefaultTolerance;
            var errors = torchPath.MarginalError.data<double>().ToArray();
            var expectedFlags = torchPath.Converged.data<bool>().ToArray();
            var flags = fused.Converged.data<bool>().ToArray();
            for (int b = 0; b < errors.Length; b++)
            {
                if (Math.Abs(errors[b] - tolerance) > atol + 1e-4 * tolerance)
                    Assert.True(expectedFlags[b] == flags[b], $"problem {b}: converged {flags[b]}, torch path {expectedFlags[b]} (error {errors[b]:E3})");
            }
            Assert.Equal(dtype, fused.LogPlan.dtype);
        }
        return stats!;
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void NortonBucketProblemsMatchTorchPath(ScalarType dtype)
    {
        // Norton's video-paragraph problems: fused similarities and p in [0, 1], epsilon 0.1, 50 sweeps. 37 problems
        // leave a short last group of lanes.
        using var scope = NewDisposeScope();
        using var gen = new Generator(11);
        var scores = Uniform(gen, dtype, 37, 8, 8);
        var bucket = PromptBucket.FromTensor(Uniform(gen, dtype, 1).squeeze(0));
        var stats = CompareWithTorchPath(new TransportProblem(scores, bucket: bucket), new SinkhornOptions { Epsilon = 0.1, MaxIterations = 50 });
        Assert.Equal(37, stats.KernelDomainProblems);
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void PerProblemBucketValuesMatchTorchPath(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(12);
        var scores = Uniform(gen, dtype, 9, 4, 6);
        var bucket = PromptBucket.FromTensor(Uniform(gen, dtype, 9));
        var stats = CompareWithTorchPath(new TransportProblem(scores, bucket: bucket), new SinkhornOptions { Epsilon = 0.5, MaxIterations = 20 });
        Assert.Equal(9, stats.KernelDomainProblems);
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void ProblemsWithoutBucketMatchTorchPath(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(13);
        var scores = randn([5, 6, 7], dtype: dtype, generator: gen) * 2;
        var stats = CompareWithTorchPath(new TransportProblem(scores), new SinkhornOptions { Epsilon = 1, MaxIterations = 50 });
        Assert.Equal(5, stats.KernelDomainProblems);
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void UnbatchedUniformMarginalsMatchTorchPath(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(14);
        var scores = Uniform(gen, dtype, 10, 3);
        var stats = CompareWithTorchPath(new TransportProblem(scores, Marginals.Uniform), new SinkhornOptions { Epsilon = 0.2, MaxIterations = 30 });
        Assert.Equal(1, stats.KernelDomainProblems);
    }

    [Theory]
    [InlineData(ScalarType.Float64, 50)]
    [InlineData(ScalarType.Float32, 50)]
    [InlineData(ScalarType.Float64, 1)]
    [InlineData(ScalarType.Float32, 1)]
    [InlineData(ScalarType.Float64, 0)]
    [InlineData(ScalarType.Float32, 0)]
    public void WarmStartMatchesTorchPath(ScalarType dtype, int iterations)
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(15);
        var scores = Uniform(gen, dtype, 11, 8, 8);
        var bucket = PromptBucket.FromTensor(Uniform(gen, dtype, 1).squeeze(0));
        var f0 = Uniform(gen, dtype, 11, 9) * 4 - 2;
        var g0 = Uniform(gen, dtype, 11, 9) * 4 - 2;
        var stats = CompareWithTorchPath(new TransportProblem(scores, bucket: bucket),
            new SinkhornOptions { Epsilon = 0.1, MaxIterations = iterations }, f0, g0);
        // Zero sweeps return the warm start itself: the log-domain route does that without a round trip through exp.
        Assert.Equal(iterations == 0 ? 0 : 11, stats.KernelDomainProblems);
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void OneAndZeroSweepsMatchTorchPath(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(16);
        var scores = Uniform(gen, dtype, 6, 5, 5);
        var bucket = PromptBucket.FromTensor(Uniform(gen, dtype, 1).squeeze(0));
        foreach (int iterations in new[] { 0, 1 })
            CompareWithTorchPath(new TransportProblem(scores, bucket: bucket), new SinkhornOptions { Epsilon = 0.05, MaxIterations = iterations });
    }

    [Theory]
    [InlineData(ScalarType.Float64, 300.0)]
    [InlineData(ScalarType.Float32, 30.0)]
    public void WideRangeProblemsFallBackToLogDomain(ScalarType dtype, double wide)
    {
        // Problems 0, 8, 16 spread wider than the kernel domain allows for the dtype (exp(-wide) leaves its normal
        // range within a few sweeps); their whole vector group must run the log-domain sweeps, the others not.
        using var scope = NewDisposeScope();
        using var gen = new Generator(17);
        var scores = Uniform(gen, dtype, 24, 6, 6);
        scores[0] *= wide;
        scores[8] *= wide;
        scores[16] *= wide;
        var stats = CompareWithTorchPath(new TransportProblem(scores), new SinkhornOptions { Epsilon = 1, MaxIterations = 50 });
        int width = dtype == ScalarType.Float64 ? 4 : 8;
        Assert.Equal(3 * width, stats.LogDomainProblems);
        Assert.Equal(24 - 3 * width, stats.KernelDomainProblems);
    }

    [Fact]
    public void ToleranceFreezesEachProblemAsTheTorchPathDoes()
    {
        // Problems of different difficulty converge at different checks; each must stop at the same check as in the
        // torch path, and the batch stops when the last one converges.
        using var scope = NewDisposeScope();
        using var gen = new Generator(18);
        var scale = linspace(0.5, 8, 13, dtype: float64).view(13, 1, 1);
        var scores = Uniform(gen, ScalarType.Float64, 13, 7, 7) * scale;
        var bucket = PromptBucket.FromTensor(Uniform(gen, ScalarType.Float64, 13) * scale.view(13));
        var options = new SinkhornOptions { Epsilon = 0.5, MaxIterations = 400, Tolerance = 1e-9, CheckEvery = 5 };
        using var result = Sinkhorn.Solve(new TransportProblem(scores, bucket: bucket), options);
        var counts = result.ProblemIterations.data<long>().ToArray();
        Assert.True(counts.Distinct().Count() > 2, $"problems should converge at different checks: {string.Join(",", counts)}");
        Assert.True(counts.Max() < 400, "every problem should converge");
        CompareWithTorchPath(new TransportProblem(scores, bucket: bucket), options);
    }

    [Fact]
    public void ParallelRunMatchesTorchPath()
    {
        // Tests run torch with one thread; with two the kernel splits the groups over workers.
        using var scope = NewDisposeScope();
        using var gen = new Generator(19);
        var scores = Uniform(gen, ScalarType.Float32, 203, 8, 8);
        scores[100] *= 40;
        var bucket = PromptBucket.FromTensor(Uniform(gen, ScalarType.Float32, 1).squeeze(0));
        int threads = torch.get_num_threads();
        torch.set_num_threads(2);
        try
        {
            var stats = CompareWithTorchPath(new TransportProblem(scores, bucket: bucket), new SinkhornOptions { Epsilon = 0.1, MaxIterations = 50 });
            Assert.Equal(8, stats.LogDomainProblems);
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    [Fact]
    public void DeclinesWhatOnlyTheTorchPathSupports()
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(20);
        var scores = Uniform(gen, ScalarType.Float32, 4, 5, 5);
        var mask = ones(4, 5, dtype: ScalarType.Bool);
        mask[0, 4] = false;
        void Declines(TransportProblem problem, SinkhornOptions options)
        {
            using var r = Sinkhorn.Solve(problem, options);
            Assert.NotEqual(SinkhornBackend.FusedCpu, r.Backend);
            Assert.Null(r.FusedStatistics);
        }
        Declines(new TransportProblem(scores, rowMask: mask), new SinkhornOptions());
        Declines(new TransportProblem(scores), new SinkhornOptions { Gradient = SinkhornGradient.Unrolled });
        Declines(new TransportProblem(scores, relaxation: new KlRelaxation(1.0, 1.0)), new SinkhornOptions());
        Declines(new TransportProblem(scores), new SinkhornOptions { Annealing = new EpsilonAnnealing { Initial = 4.0, Decay = 0.5 } });
        Declines(new TransportProblem(Uniform(gen, ScalarType.Float32, 2, 65, 3)), new SinkhornOptions());
    }
}
