using Norton.Core.Validation;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core.OptimalTransport;

/// <summary>
/// <see cref="SinkhornBackend.LogDomain"/>: the torch implementation of the Sinkhorn sweeps (any device, any batch,
/// masks, autograd, annealing, relaxation, tolerance). It runs every problem.
/// </summary>
internal sealed class SinkhornIteration : ISinkhornBackend
{
    /// <summary>The one instance.</summary>
    public static SinkhornIteration Instance { get; } = new();

    private SinkhornIteration() { }

    /// <inheritdoc />
    public SinkhornBackend Kind => SinkhornBackend.LogDomain;

    /// <inheritdoc />
    public string? CannotRun(SinkhornRun run) => null;

    /// <inheritdoc />
    public Output? Run(SinkhornRun run, out string? declined)
    {
        declined = null;
        run.Checks.Read();
        return Run(run.Problem, run.Options, run.Relaxation, run.F0, run.G0);
    }

    /// <summary>What a solve produced, before packaging: kernel, potentials, bookkeeping.</summary>
    /// <remarks><c>Fused</c>: what the fused CPU kernel did (tests read it); null for the other backends.</remarks>
    internal sealed record Output(Tensor Z, Tensor F, Tensor G, int Iterations, Tensor ProblemIterations, Tensor Error, Tensor Converged,
        FusedSinkhornKernel.RunStatistics? Fused = null);

    // Masked entries of Z get a large finite negative value rather than -infinity, so that no LSE ever sees a row of
    // -infinities (whose gradient is NaN even where it is multiplied by zero). exp() of it is exactly 0.
    private static double MaskValue(ScalarType t) => t == ScalarType.Float64 ? -1e300 : -1e30;

    public static Output Run(PreparedProblem p, SinkhornOptions options, KlRelaxation? relaxation, Tensor? f0, Tensor? g0)
    {
        var s = p.Scores;
        var dtype = s.dtype;
        long batch = s.shape[0], rows = s.shape[1], cols = s.shape[2];
        var device = s.device;
        Tensor? invalid = p.Masked ? p.RowValid!.unsqueeze(2).logical_and(p.ColumnValid!.unsqueeze(1)).logical_not() : null;

        double target = options.Epsilon;
        var annealing = options.Annealing;
        double eps = annealing?.EpsilonAt(0, target) ?? target;
        var z = Kernel(s, eps, invalid, dtype);
        var f = f0 ?? zeros(batch, rows, dtype: dtype, device: device);
        var g = g0 ?? zeros(batch, cols, dtype: dtype, device: device);

        bool track = options.Gradient == SinkhornGradient.Unrolled;
        bool checking = options.Tolerance.HasValue;
        double tolerance = options.Tolerance ?? SinkhornResult.DefaultTolerance;
        using var toleranceScalar = tolerance.ToScalar();
        var active = checking ? ones(batch, dtype: ScalarType.Bool, device: device) : null;
        var problemIterations = zeros(batch, dtype: ScalarType.Int64, device: device);
        Tensor? error = null;
        int done = 0;

        for (int t = 0; t < options.MaxIterations; t++)
        {
            // Without autograd nothing needs a sweep's temporaries once it is done: each sweep gets its own dispose
            // scope and only the new state leaves it, so memory stays flat however many sweeps run (a 16384 x 9 x 9
            // batch would otherwise keep ~17 MB per sweep).
            using var sweep = track ? null : NewDisposeScope();
            var (fOld, gOld, zOld, activeOld, itersOld, errorOld) = (f, g, z, active, problemIterations, error);
            if (annealing is not null)
            {
                double next = annealing.EpsilonAt(t, target);
                if (next != eps)
                {
                    // Keep epsilon * potential fixed: the same dual variables expressed for the new kernel.
                    using var ratio = (eps / next).ToScalar();
                    f = f.mul(ratio);
                    g = g.mul(ratio);
                    eps = next;
                    z = Kernel(s, eps, invalid, dtype);
                }
            }
            double rhoA = KlRelaxation.Damping(relaxation?.TauA ?? double.PositiveInfinity, eps);
            double rhoB = KlRelaxation.Damping(relaxation?.TauB ?? double.PositiveInfinity, eps);
            var fPrev = f;
            var gPrev = g;

            var fNew = p.LogA - z.add(g.unsqueeze(1), Scalars.One).logsumexp(2);
            using var rhoAScalar = rhoA.ToScalar();
            if (rhoA != 1) fNew = fNew.mul(rhoAScalar);
            if (p.RowValid is not null) fNew = where(p.RowValid, fNew, 0.0);
            f = active is null ? fNew : where(active.unsqueeze(1), fNew, f);

            var gNew = p.LogB - z.add(f.unsqueeze(2), Scalars.One).logsumexp(1);
            using var rhoBScalar = rhoB.ToScalar();
            if (rhoB != 1) gNew = gNew.mul(rhoBScalar);
            if (p.ColumnValid is not null) gNew = where(p.ColumnValid, gNew, 0.0);
            g = active is null ? gNew : where(active.unsqueeze(1), gNew, g);

            done = t + 1;
            problemIterations = active is null ? problemIterations.add(Scalars.OneInt64, Scalars.OneInt64) : problemIterations.add(active.to(ScalarType.Int64), Scalars.OneInt64);

            bool atTarget = eps == target;
            bool stop = false;
            if (checking && atTarget && (done % options.CheckEvery == 0 || done == options.MaxIterations))
            {
                error = Error(p, z, f, g, relaxation is null ? null : (fPrev, gPrev));
                active = active!.logical_and(error.gt(toleranceScalar));
                // The one read of this backend: with a tolerance, whether any problem is still active (the sweeps
                // stop early only on the host's word). Norton's fixed count never gets here.
                stop = !HostReads.Flag(active.any());
            }

            if (sweep is not null)
            {
                Carry(f, fOld);
                Carry(g, gOld);
                Carry(problemIterations, itersOld);
                if (active is not null) Carry(active, activeOld!);
                if (error is not null && !ReferenceEquals(error, errorOld)) { error.MoveToOuterDisposeScope(); errorOld?.Dispose(); }
                if (!ReferenceEquals(z, zOld)) { z.MoveToOuterDisposeScope(); if (!ReferenceEquals(zOld, s)) zOld.Dispose(); }
            }
            if (stop) break;
        }

        if (eps != target)
        {
            // Fewer iterations than the schedule needs: report the plan at the epsilon reached, but in target units.
            using var ratio = (eps / target).ToScalar();
            f = f.mul(ratio);
            g = g.mul(ratio);
            z = Kernel(s, target, invalid, dtype);
        }
        error ??= Error(p, z, f, g, null);
        using (no_grad())
        {
            var err = error.detach().to(ScalarType.Float64);
            return new Output(z, f, g, done, problemIterations, err, err.le(toleranceScalar));
        }
    }

    /// <summary>Moves a sweep's new state tensor out of the sweep's scope and frees the one it replaces.</summary>
    private static void Carry(Tensor fresh, Tensor old)
    {
        if (ReferenceEquals(fresh, old)) return;
        fresh.MoveToOuterDisposeScope();
        old.Dispose();
    }

    private static Tensor Kernel(Tensor s, double eps, Tensor? invalid, ScalarType dtype)
    {
        using var mask = MaskValue(dtype).ToScalar();
        var z = SinkhornRun.Scaled(s, eps);
        return invalid is null ? z : z.masked_fill(invalid, mask);
    }

    /// <summary>L1 row-marginal error per problem, or (relaxed problems) the largest potential change.</summary>
    private static Tensor Error(PreparedProblem p, Tensor z, Tensor f, Tensor g, (Tensor F, Tensor G)? previous)
    {
        if (previous is not { } prev) return SinkhornMarginalError.RowL1(p, z, f, g);
        using var noGrad = no_grad();
        var df = (f - prev.F).abs().amax(1);
        var dg = (g - prev.G).abs().amax(1);
        return maximum(df, dg);
    }
}
