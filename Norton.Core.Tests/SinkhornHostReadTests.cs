using Norton.Core.OptimalTransport;
using Norton.Core.Validation;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Core.Tests;

/// <summary>
/// Device-to-host transfers of one <see cref="Sinkhorn.Solve"/> (and the backward of an unrolled one), counted through
/// Norton.Core's single read helper (<see cref="HostReads"/>): with <see cref="SinkhornOptions.CheckValues"/> on, every
/// value check of the solve in one transfer; off, none, except the reads the algorithm itself needs (Scaling's range
/// test when named, one flag per convergence test with a tolerance). docs/performance.md, "Host reads of the loss".
/// </summary>
public class SinkhornHostReadTests
{
    private static readonly SinkhornOptions Checked = new() { MaxIterations = 10 };
    private static readonly SinkhornOptions Unchecked = Checked with { CheckValues = false };

    /// <summary>Transfers of one solve; the result's backend must be <paramref name="expected"/>.</summary>
    private static int ReadsOfOneSolve(TransportProblem problem, SinkhornOptions options, SinkhornBackend expected, Tensor? f0 = null)
    {
        using var scope = NewDisposeScope();
        HostReads.Reset();
        using var r = Sinkhorn.Solve(problem, options, f0);
        int reads = HostReads.Count;
        Assert.Equal(expected, r.Backend);
        return reads;
    }

    // One problem each backend runs on the CPU (the fused kernel: a small batch; scaling: a large detached problem of
    // moderate spread), with a tensor bucket value so that every kind of value check is queued.
    private static TransportProblem Small(Generator gen) =>
        new(rand(4, 6, 7, dtype: float64, generator: gen), bucket: PromptBucket.FromTensor(full(4, 0.5, dtype: float64)));

    private static TransportProblem Large(Generator gen) =>
        new(randn(1, 80, 80, dtype: float64, generator: gen), bucket: PromptBucket.FromTensor(tensor(0.4, float64)));

    [Theory]
    [InlineData(SinkhornBackend.LogDomain)]
    [InlineData(SinkhornBackend.FusedCpu)]
    [InlineData(SinkhornBackend.Scaling)]
    public void ChecksOnReadOnceChecksOffReadNothing(SinkhornBackend backend)
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(41);
        var problem = backend == SinkhornBackend.Scaling ? Large(gen) : Small(gen);
        var f0 = zeros(problem.BatchSize, problem.Rows + 1, dtype: float64);
        Assert.Equal(1, ReadsOfOneSolve(problem, Checked with { Backend = backend }, backend));
        Assert.Equal(1, ReadsOfOneSolve(problem, Checked with { Backend = backend }, backend, f0));
        // Off: no transfer. Scaling still needs its range test (whether exp() of the kernel fits the dtype is a
        // question about the values; the original never asks it: it always runs the log domain), which it reads in
        // place from these CPU scores: no transfer, no sync.
        int inPlace = backend == SinkhornBackend.Scaling ? 1 : 0;
        Assert.Equal(0, ReadsOfOneSolve(problem, Unchecked with { Backend = backend }, backend));
        Assert.Equal(inPlace, HostReads.InPlaceCount);
        Assert.Equal(0, ReadsOfOneSolve(problem, Unchecked with { Backend = backend }, backend, f0));
        Assert.Equal(inPlace, HostReads.InPlaceCount);
    }

    [Fact]
    public void AnInPlaceReadRefusesATensorOffTheCpu()
    {
        // The in-place read is for CPU memory only; anything else must go through the counted transfer.
        using var meta = empty(new long[] { 1 }, dtype: ScalarType.Bool, device: new Device(DeviceType.META));
        var e = Assert.Throws<InvalidOperationException>(() => HostReads.InPlaceFlag(meta));
        Assert.Contains("CPU", e.Message);
    }

    [Fact]
    public void AnInPlaceBoolArrayReadIsNoTransfer()
    {
        // The fine-grained loss reads its masks this way with checks off: row-major values, counted apart.
        using var scope = NewDisposeScope();
        var mask = tensor(new[] { true, false, true, true, false, false }).reshape(2, 3);
        HostReads.Reset();
        Assert.Equal(new[] { true, false, true, true, false, false }, HostReads.InPlaceBools(mask));
        Assert.Equal(new[] { true, true, false, false, true, false }, HostReads.InPlaceBools(mask.t()));   // a strided view
        Assert.Equal(0, HostReads.Count);
        Assert.Equal(2, HostReads.InPlaceCount);
        using var meta = empty(new long[] { 2, 3 }, dtype: ScalarType.Bool, device: new Device(DeviceType.META));
        Assert.Contains("CPU", Assert.Throws<InvalidOperationException>(() => HostReads.InPlaceBools(meta)).Message);
        Assert.Equal(2, HostReads.InPlaceCount);
    }

    [Fact]
    public void AutoReadsOnceWithChecksAndNeverWithout()
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(42);
        var large = Large(gen);
        // Checks on: scaling, its range test in the checks' transfer. Off: still scaling for CPU scores (today's
        // choice and speed), its range test read in place; on a device Auto would run the log domain instead.
        Assert.Equal(1, ReadsOfOneSolve(large, Checked, SinkhornBackend.Scaling));
        Assert.Equal(0, HostReads.InPlaceCount);
        Assert.Equal(0, ReadsOfOneSolve(large, Unchecked, SinkhornBackend.Scaling));
        Assert.Equal(1, HostReads.InPlaceCount);
        // A spread scaling cannot hold: Auto learns it from the same one transfer and runs the log domain.
        var wide = new TransportProblem(randn(1, 70, 70, generator: gen).mul(tensor(100f)));
        Assert.Equal(1, ReadsOfOneSolve(wide, Checked, SinkhornBackend.LogDomain));
        var small = Small(gen);
        Assert.Equal(1, ReadsOfOneSolve(small, Checked, SinkhornBackend.FusedCpu));
        Assert.Equal(0, ReadsOfOneSolve(small, Unchecked, SinkhornBackend.FusedCpu));
        // Masks: log domain, their "a valid entry per problem" check in the same transfer.
        var mask = ones(4, 6, dtype: ScalarType.Bool);
        mask[0, 5] = tensor(false);
        var masked = new TransportProblem(rand(4, 6, 7, generator: gen), rowMask: mask, columnMask: ones(7, dtype: ScalarType.Bool));
        Assert.Equal(1, ReadsOfOneSolve(masked, Checked, SinkhornBackend.LogDomain));
        Assert.Equal(0, ReadsOfOneSolve(masked, Unchecked, SinkhornBackend.LogDomain));
        // Given weights: their finiteness, sign and balance in the same transfer.
        var weighted = new TransportProblem(rand(5, 8, dtype: float64, generator: gen),
            Marginals.FromWeights(full(5, 0.2, dtype: float64), full(8, 0.125, dtype: float64)));
        Assert.Equal(1, ReadsOfOneSolve(weighted, Checked, SinkhornBackend.FusedCpu));
        Assert.Equal(0, ReadsOfOneSolve(weighted, Unchecked, SinkhornBackend.FusedCpu));
    }

    [Fact]
    public void UnrolledSolveAndItsBackwardReadOnceWithChecksAndNeverWithout()
    {
        foreach (var (options, expected) in new[] { (Checked, 1), (Unchecked, 0) })
        {
            using var scope = NewDisposeScope();
            using var gen = new Generator(43);
            var scores = rand(3, 5, 6, dtype: float64, generator: gen).requires_grad_();
            var bucket = tensor(0.3, float64).requires_grad_();
            HostReads.Reset();
            using (var r = Sinkhorn.Solve(new TransportProblem(scores, bucket: PromptBucket.FromTensor(bucket)),
                       options with { Gradient = SinkhornGradient.Unrolled }))
            {
                Assert.Equal(SinkhornBackend.LogDomain, r.Backend);
                r.Plan.mul(scores).sum().backward();
            }
            Assert.Equal(expected, HostReads.Count);
            Assert.NotNull(scores.grad);
            Assert.NotNull(bucket.grad);
        }
    }

    [Fact]
    public void ToleranceReadsOneFlagPerConvergenceTest()
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(44);
        var problem = new TransportProblem(randn(2, 30, 30, dtype: float64, generator: gen).mul(tensor(5.0)));
        // Too tight to stop early: tests after sweeps 10, 20, 25 (the last) -> three reads, plus one for the checks.
        var options = new SinkhornOptions { MaxIterations = 25, Tolerance = 1e-300, CheckEvery = 10, Backend = SinkhornBackend.LogDomain };
        Assert.Equal(3, ReadsOfOneSolve(problem, options with { CheckValues = false }, SinkhornBackend.LogDomain));
        Assert.Equal(4, ReadsOfOneSolve(problem, options, SinkhornBackend.LogDomain));
        // The fused kernel tests convergence in its own loop over CPU memory: no read.
        Assert.Equal(0, ReadsOfOneSolve(problem, options with { CheckValues = false, Backend = SinkhornBackend.FusedCpu }, SinkhornBackend.FusedCpu));
    }

    [Theory]
    [InlineData(SinkhornBackend.LogDomain)]
    [InlineData(SinkhornBackend.FusedCpu)]
    [InlineData(SinkhornBackend.Scaling)]
    public void ChecksOffGiveTheSamePlan(SinkhornBackend backend)
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(45);
        var problem = backend == SinkhornBackend.Scaling ? Large(gen) : Small(gen);
        using var on = Sinkhorn.Solve(problem, Checked with { Backend = backend });
        using var off = Sinkhorn.Solve(problem, Unchecked with { Backend = backend });
        Assert.True(on.LogPlan.eq(off.LogPlan).all().item<bool>());
        Assert.True(on.F.eq(off.F).all().item<bool>());
    }

    [Theory]
    [InlineData(SinkhornBackend.Auto)]
    [InlineData(SinkhornBackend.LogDomain)]
    [InlineData(SinkhornBackend.FusedCpu)]
    [InlineData(SinkhornBackend.Scaling)]
    public void BadValuesStillThrowWithChecksOn(SinkhornBackend backend)
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(46);
        var options = Checked with { Backend = backend };
        long m = backend == SinkhornBackend.Scaling ? 80 : 6;

        var nanScores = rand(2, m, m, dtype: float64, generator: gen);
        nanScores[1, 2, 3] = tensor(double.NaN, float64);
        AssertNamed(() => Sinkhorn.Solve(new TransportProblem(nanScores), options), "scores", "finite", "[1, 2, 3]");

        var scores = rand(2, m, m, dtype: float64, generator: gen);
        var nanBucket = tensor(new[] { 0.2, double.NaN }, float64);
        AssertNamed(() => Sinkhorn.Solve(new TransportProblem(scores, bucket: PromptBucket.FromTensor(nanBucket)), options), "bucket", "finite", "NaN");

        var a = full(2, m, 1.0 / m, dtype: float64);
        var b = full(2, m, 2.0 / m, dtype: float64);
        AssertNamed(() => Sinkhorn.Solve(new TransportProblem(scores, Marginals.FromWeights(a, b)), options), "marginals", "equal mass");

        var f0 = zeros(2, m, dtype: float64);
        f0[0, 1] = tensor(double.PositiveInfinity, float64);
        AssertNamed(() => Sinkhorn.Solve(new TransportProblem(scores), options, f0), "initialF", "finite", "[0, 1]");
    }

    [Fact]
    public void ChecksOffLetBadValuesThroughAsNaN()
    {
        using var scope = NewDisposeScope();
        var s = rand(2, 6, 7, dtype: float64);
        s[0, 1, 1] = tensor(double.NaN, float64);
        foreach (var backend in new[] { SinkhornBackend.LogDomain, SinkhornBackend.FusedCpu })
        {
            using var r = Sinkhorn.Solve(new TransportProblem(s), Unchecked with { Backend = backend });
            Assert.True(r.Plan[0].isnan().any().item<bool>());
        }
    }

    private static void AssertNamed(Action action, string argument, params string[] fragments)
    {
        var e = Assert.Throws<ArgumentException>(action);
        Assert.Equal(argument, e.ParamName);
        foreach (var f in fragments) Assert.Contains(f, e.Message);
    }
}
