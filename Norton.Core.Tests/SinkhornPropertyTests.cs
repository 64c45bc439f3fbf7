using FsCheck.Xunit;
using Norton.Core.OptimalTransport;
using Norton.TestSupport;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Core.Tests;

/// <summary>FsCheck properties of the Sinkhorn solver; FsCheck drives the seed and the sizes.</summary>
public class SinkhornPropertyTests
{
    private static (long m, long n) Size(byte a, byte b) => (2 + a % 6, 2 + b % 6);

    private static Tensor Scores(int seed, long batch, long m, long n, double scale = 2.0, ScalarType dtype = ScalarType.Float64)
    {
        var gen = new Generator((ulong)(uint)seed);
        return (randn(batch, m, n, dtype: dtype, generator: gen) * scale);
    }

    [Property(MaxTest = 40)]
    public void ConvergedPlanMeetsBothMarginals(int seed, byte a, byte b, bool bucket)
    {
        using var scope = NewDisposeScope();
        var (m, n) = Size(a, b);
        if (!bucket) n = m; // SuperGlue marginals are balanced only for square problems without a bucket
        // Moderate contrast (scores N(0,1), epsilon 1): Sinkhorn's linear rate is then fast; near-permutation plans
        // converge arbitrarily slowly, which is the method, not a bug.
        var s = Scores(seed, 3, m, n, scale: 1.0);
        var problem = new TransportProblem(s, bucket: bucket ? PromptBucket.Constant(0.1) : null);
        using var r = Sinkhorn.Solve(problem, new SinkhornOptions { Epsilon = 1.0, MaxIterations = 20_000, Tolerance = 1e-9, CheckEvery = 5 });
        Assert.True(r.Converged.all().item<bool>());
        // Unscaled augmented plan: rows sum to mu, columns to nu (Norton's marginals).
        var unscaled = (bucket ? r.AugmentedLogPlan! : r.LogPlan).exp() / (m + n);
        var rows = unscaled.sum(2);
        var cols = unscaled.sum(1);
        var mu = full(3, m + (bucket ? 1 : 0), 1.0 / (m + n), float64);
        var nu = full(3, n + (bucket ? 1 : 0), 1.0 / (m + n), float64);
        if (bucket)
        {
            mu[.., -1] = tensor((double)n / (m + n));
            nu[.., -1] = tensor((double)m / (m + n));
        }
        Tolerance.AssertClose(mu, rows, 0, 0, 1e-8, "row sums");
        Tolerance.AssertClose(nu, cols, 0, 0, 1e-12, "column sums (exact after the last sweep)");
    }

    [Property(MaxTest = 40)]
    public void PlanIsNonNegativeAndFinite(int seed, byte a, byte b, byte epsCode)
    {
        using var scope = NewDisposeScope();
        var (m, n) = Size(a, b);
        double eps = new[] { 1e-3, 0.01, 0.1, 1, 10 }[epsCode % 5];
        var s = Scores(seed, 2, m, n, scale: 50);
        using var r = Sinkhorn.Solve(new TransportProblem(s, bucket: PromptBucket.Constant(0.5)), new SinkhornOptions { Epsilon = eps });
        Assert.True(r.Plan.isfinite().all().item<bool>());
        Assert.True((r.Plan >= 0).all().item<bool>());
        Assert.True(r.F.isfinite().all().item<bool>() && r.G.isfinite().all().item<bool>());
    }

    [Property(MaxTest = 30)]
    public void PermutingRowsAndColumnsPermutesThePlan(int seed, byte a, byte b)
    {
        using var scope = NewDisposeScope();
        var (m, n) = Size(a, b);
        var s = Scores(seed, 1, m, n)[0];
        var gen = new Generator((ulong)(uint)seed + 1);
        var pr = randperm(m, generator: gen);
        var pc = randperm(n, generator: gen);
        var options = new SinkhornOptions { Epsilon = 0.3, MaxIterations = 37 };
        using var r = Sinkhorn.Solve(new TransportProblem(s, bucket: PromptBucket.Constant(-0.2)), options);
        using var rp = Sinkhorn.Solve(new TransportProblem(s.index_select(0, pr).index_select(1, pc), bucket: PromptBucket.Constant(-0.2)), options);
        Tolerance.AssertClose(r.LogPlan.index_select(0, pr).index_select(1, pc), rp.LogPlan, 1e-10, 1e-12, 0, "permuted plan");
    }

    [Property(MaxTest = 30)]
    public void AddingAConstantToAllScoresChangesNothing(int seed, byte a, byte b, sbyte shift)
    {
        using var scope = NewDisposeScope();
        var (m, n) = Size(a, b);
        var s = Scores(seed, 2, m, n);
        var options = new SinkhornOptions { Epsilon = 0.7, MaxIterations = 25 };
        using var r = Sinkhorn.Solve(new TransportProblem(s, Marginals.Uniform), options);
        using var r2 = Sinkhorn.Solve(new TransportProblem(s + shift / 4.0, Marginals.Uniform), options);
        Tolerance.AssertClose(r.LogPlan, r2.LogPlan, 1e-9, 1e-11, 1e-11, "shifted scores");
    }

    [Property(MaxTest = 25)]
    public void BatchedEqualsOneByOne(int seed, byte a, byte b, bool withTolerance)
    {
        using var scope = NewDisposeScope();
        var (m, n) = Size(a, b);
        var s = Scores(seed, 4, m, n);
        var options = new SinkhornOptions { Epsilon = 0.4, MaxIterations = 300, Tolerance = withTolerance ? 1e-7 : null, CheckEvery = 3 };
        var bucket = tensor(new[] { 0.1, -0.5, 0.3, 1.0 }, dtype: float64);
        using var batched = Sinkhorn.Solve(new TransportProblem(s, bucket: PromptBucket.FromTensor(bucket)), options);
        for (int i = 0; i < 4; i++)
        {
            using var one = Sinkhorn.Solve(new TransportProblem(s[i], bucket: PromptBucket.FromTensor(bucket[i])), options);
            Tolerance.AssertClose(one.LogPlan, batched.LogPlan[i], 0, 0, 1e-13, $"problem {i}");
            Assert.Equal(one.ProblemIterations.item<long>(), batched.ProblemIterations[i].item<long>());
        }
    }

    [Property(MaxTest = 25)]
    public void MaskedRaggedProblemEqualsTheUnpaddedOne(int seed, byte a, byte b, byte padA, byte padB, bool bucket)
    {
        using var scope = NewDisposeScope();
        var (m, n) = Size(a, b);
        long pm = padA % 3, pn = padB % 3;
        var s = Scores(seed, 1, m + pm, n + pn, scale: 3);
        var rowMask = cat([ones(m, dtype: ScalarType.Bool), zeros(pm, dtype: ScalarType.Bool)]);
        var colMask = cat([ones(n, dtype: ScalarType.Bool), zeros(pn, dtype: ScalarType.Bool)]);
        var options = new SinkhornOptions { Epsilon = 0.25, MaxIterations = 40 };
        var b0 = bucket ? PromptBucket.Constant(0.2) : null;
        using var padded = Sinkhorn.Solve(new TransportProblem(s, rowMask: rowMask.unsqueeze(0), columnMask: colMask.unsqueeze(0), bucket: b0), options);
        using var plain = Sinkhorn.Solve(new TransportProblem(s[.., ..(int)m, ..(int)n].contiguous(), bucket: b0), options);
        Tolerance.AssertClose(plain.LogPlan, padded.LogPlan[.., ..(int)m, ..(int)n], 1e-12, 1e-13, 0, "valid block");
        Assert.True((padded.Plan[.., (int)m.., ..] == 0).all().item<bool>(), "padded rows carry no mass");
        Assert.True((padded.Plan[.., .., (int)n..] == 0).all().item<bool>(), "padded columns carry no mass");
    }

    [Property(MaxTest = 25)]
    public void Float32AgreesWithFloat64(int seed, byte a, byte b)
    {
        using var scope = NewDisposeScope();
        var (m, n) = Size(a, b);
        var s = Scores(seed, 3, m, n).to(float32).to(float64); // exactly representable in both
        var options = new SinkhornOptions { Epsilon = 0.5, MaxIterations = 50 };
        using var r64 = Sinkhorn.Solve(new TransportProblem(s, bucket: PromptBucket.Constant(0.25)), options);
        using var r32 = Sinkhorn.Solve(new TransportProblem(s.to(float32), bucket: PromptBucket.Constant(0.25)), options);
        Assert.Equal(ScalarType.Float32, r32.Plan.dtype);
        Tolerance.AssertClose(r64.Plan, r32.Plan, 1e-4, 1e-5, 0, "float32 plan");
    }

    [Property(MaxTest = 12)]
    public void SmallEpsilonApproachesTheOptimalAssignment(int seed, byte size)
    {
        using var scope = NewDisposeScope();
        long n = 2 + size % 4;
        var s = Scores(seed, 1, n, n)[0];
        // Brute force over permutations: the best assignment, and the gap to the second best.
        var values = s.to(float64).data<double>().ToArray();
        var scores = Permutations((int)n).Select(p => (p, v: p.Select((j, i) => values[i * n + j]).Sum())).OrderByDescending(t => t.v).ToList();
        double gap = scores[0].v - scores[1].v;
        if (gap < 0.5) return; // near-ties: the entropic plan may legitimately split; FsCheck draws many others
        // At epsilon = gap/10 every other permutation is suppressed by about exp(-10) relative to the optimum.
        using var r = Sinkhorn.Solve(new TransportProblem(s, Marginals.Uniform),
            new SinkhornOptions { Epsilon = gap / 10, MaxIterations = 3000, Tolerance = 1e-6, CheckEvery = 10, Annealing = new EpsilonAnnealing { Initial = 1, Decay = 0.9 } });
        var plan = (r.Plan * n).to(float64);
        for (int i = 0; i < n; i++)
            Assert.True(plan[i, scores[0].p[i]].item<double>() > 0.9, $"row {i}: mass {plan[i, scores[0].p[i]].item<double>()} on the optimal column");
    }

    [Property(MaxTest = 15)]
    public void UnrolledGradientsMatchFiniteDifferences(int seed, byte a, byte b)
    {
        using var scope = NewDisposeScope();
        var (m, n) = Size(a, b);
        m = Math.Min(m, 4); n = Math.Min(n, 4);
        var s = Scores(seed, 1, m, n)[0];
        var w = Scores(seed + 7, 1, m, n)[0];   // a random linear functional of the plan
        var p = tensor(0.3, dtype: float64);
        var options = new SinkhornOptions { Epsilon = 0.5, MaxIterations = 15, Gradient = SinkhornGradient.Unrolled };
        double Objective(Tensor scores, Tensor bucket)
        {
            using var r = Sinkhorn.Solve(new TransportProblem(scores, bucket: PromptBucket.FromTensor(bucket)), options with { Gradient = SinkhornGradient.Detach });
            return (r.Plan * w).sum().item<double>();
        }
        var sg = s.clone().requires_grad_(true);
        var pg = p.clone().requires_grad_(true);
        using (var r = Sinkhorn.Solve(new TransportProblem(sg, bucket: PromptBucket.FromTensor(pg)), options))
            (r.Plan * w).sum().backward();
        const double h = 1e-6;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                var sp = s.clone(); sp[i, j] += h;
                var sm = s.clone(); sm[i, j] -= h;
                double fd = (Objective(sp, p) - Objective(sm, p)) / (2 * h);
                double ad = sg.grad![i, j].item<double>();
                Assert.True(Math.Abs(fd - ad) <= 1e-6 + 1e-5 * Math.Abs(fd), $"d/dS[{i},{j}]: autograd {ad}, finite difference {fd}");
            }
        double fdp = (Objective(s, p + h) - Objective(s, p - h)) / (2 * h);
        Assert.True(Math.Abs(fdp - pg.grad!.item<double>()) <= 1e-6 + 1e-5 * Math.Abs(fdp), $"d/dp: autograd {pg.grad!.item<double>()}, finite difference {fdp}");
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        if (n == 1) { yield return [0]; yield break; }
        foreach (var p in Permutations(n - 1))
            for (int k = 0; k < n; k++)
            {
                var q = new List<int>(p);
                q.Insert(k, n - 1);
                yield return q.ToArray();
            }
    }
}
