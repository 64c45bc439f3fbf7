using Norton.Core.Validation;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core.OptimalTransport;

/// <summary>
/// Log-domain Sinkhorn, SuperGlue/Norton style: from <c>f = g = 0</c> (or a warm start) each sweep sets
/// <c>f_i = log a_i - LSE_j(Z_ij + g_j)</c>, then <c>g_j = log b_j - LSE_i(Z_ij + f_i)</c>, with <c>Z = scores/epsilon</c>.
/// With Norton's settings (fixed iteration count, no tolerance) this is the original's iterate exactly: rows first,
/// then columns, so column marginals are exact after the last sweep.
/// </summary>
/// <remarks>
/// <para>Half-precision scores are solved in float32 and the plans returned in the input dtype (potentials stay float32);
/// float64 stays float64.
/// The device of the scores is kept. Ragged batches use the problem's masks. A <see cref="KlRelaxation"/> damps each
/// update by <c>tau/(tau+epsilon)</c>. <see cref="EpsilonAnnealing"/> rescales the potentials when epsilon changes so
/// that <c>epsilon * f</c> is carried over.</para>
/// <para>Small CPU batches (Norton's 9 x 9 bucket problems) run in a fused kernel that iterates over the tensor memory
/// without per-iteration allocations; it computes the same sweeps. <see cref="SinkhornOptions.Backend"/> picks the
/// implementation, <see cref="SinkhornResult.Backend"/> reports the one that ran.</para>
/// </remarks>
public static class Sinkhorn
{
    /// <summary>Solves the problem (or batch of problems).</summary>
    /// <param name="problem">Scores, marginals, masks, bucket, relaxation.</param>
    /// <param name="options">Epsilon, iterations, tolerance, gradient mode, annealing.</param>
    /// <param name="initialF">Warm start: row potentials (m') or (B, m') in the units of <see cref="SinkhornResult.F"/>, at the first epsilon.</param>
    /// <param name="initialG">Warm start: column potentials (n') or (B, n').</param>
    /// <exception cref="ArgumentException">A warm-start tensor has the wrong shape, <see cref="SinkhornOptions.Backend"/>
    /// names a backend that cannot run the problem (the message says why), or (with <see cref="SinkhornOptions.CheckValues"/>)
    /// a value is bad: scores, warm start or bucket tensor not finite, a mask that leaves a problem without a valid row
    /// or column, given weights negative or not finite, log-weights NaN or +infinity, unbalanced marginals without a
    /// relaxation. The message names the argument and what came.</exception>
    /// <remarks>With <see cref="SinkhornOptions.CheckValues"/> on, all value checks are read back in one
    /// device-to-host transfer before the sweeps; off, none (see that option for the reads the algorithm itself needs).
    /// The backward of an <see cref="SinkhornGradient.Unrolled"/> solve is torch autograd and reads nothing.</remarks>
    public static SinkhornResult Solve(TransportProblem problem, SinkhornOptions options, Tensor? initialF = null, Tensor? initialG = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        var inputType = problem.Scores.dtype;
        var computeType = inputType == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;

        using var scope = NewDisposeScope();
        bool track = options.Gradient == SinkhornGradient.Unrolled;
        using var gradMode = track ? null : no_grad();
        using var prepared = problem.Prepare(computeType);
        var checks = new ValueChecks(options.CheckValues);
        problem.AddValueChecks(checks, prepared);
        var f0 = WarmStart(initialF, prepared, prepared.LogA.shape[1], nameof(initialF), computeType, checks);
        var g0 = WarmStart(initialG, prepared, prepared.LogB.shape[1], nameof(initialG), computeType, checks);

        // Same sweeps, three implementations (SinkhornOptions.Backend): a fused CPU kernel for batches of small problems,
        // scaling with absorption for large ones, and the log-domain torch ops for everything (autograd, masks,
        // annealing, relaxation). The backend reads the checks (once, with its own range test if it has one) before
        // its sweeps.
        var (raw, backend) = SinkhornDispatch.Run(new SinkhornRun(prepared, options, problem.Relaxation, f0, g0, checks));
        return Package(prepared, raw, inputType, backend);
    }

    private static Tensor? WarmStart(Tensor? t, PreparedProblem p, long size, string name, ScalarType dtype, ValueChecks checks)
    {
        if (t is null) return null;
        long batch = p.LogA.shape[0];
        bool ok = (t.dim() == 1 && t.shape[0] == size) || (t.dim() == 2 && t.shape[0] == batch && t.shape[1] == size);
        if (!ok)
            throw new ArgumentException(
                $"{name} must have shape [{size}] or [{batch}, {size}] (bucket included), but has shape {Validation.Guard.Shape(t)}.", name);
        checks.Add(() => t.isfinite().logical_not().any(), () => Validation.Guard.Finite(t, name));
        var v = t.to(dtype, p.LogA.device);
        return (v.dim() == 1 ? v.unsqueeze(0).expand(batch, size) : v).clone();
    }

    private static SinkhornResult Package(PreparedProblem p, SinkhornIteration.Output raw, ScalarType inputType, SinkhornBackend backend)
    {
        // log((m+n) P) = Z + f + g + log(m+n), in the original's order of additions.
        var full = SinkhornRun.LogKernel(raw.Z, raw.F, raw.G).add(p.LogScale.view(-1, 1, 1), Scalars.One);
        if (p.Masked)
        {
            var valid = p.RowValid!.unsqueeze(2).logical_and(p.ColumnValid!.unsqueeze(1));
            full = full.masked_fill(valid.logical_not(), Scalars.NegativeInfinity);
        }
        Tensor? augmented = p.HasBucket ? full : null;
        var logPlan = p.HasBucket ? full.narrow(1, 0, p.Rows).narrow(2, 0, p.Columns) : full;

        Tensor Out(Tensor t) => (p.Batched ? t : t.squeeze(0)).to(inputType).MoveToOuterDisposeScope();
        // Potentials reach |scores|/epsilon, far beyond half precision's range: they stay in the compute dtype.
        Tensor OutPotential(Tensor t) => (p.Batched ? t : t.squeeze(0)).MoveToOuterDisposeScope();
        var outLog = Out(logPlan);
        var outPlan = outLog.exp().MoveToOuterDisposeScope();
        return new SinkhornResult(outLog, outPlan, augmented is null ? null : Out(augmented), OutPotential(raw.F), OutPotential(raw.G),
            raw.Iterations,
            (p.Batched ? raw.ProblemIterations : raw.ProblemIterations.squeeze(0)).MoveToOuterDisposeScope(),
            (p.Batched ? raw.Error : raw.Error.squeeze(0)).MoveToOuterDisposeScope(),
            (p.Batched ? raw.Converged : raw.Converged.squeeze(0)).MoveToOuterDisposeScope(),
            backend, raw.Fused);
    }
}
