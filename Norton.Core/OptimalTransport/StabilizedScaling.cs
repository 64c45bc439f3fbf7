using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core.OptimalTransport;

/// <summary>
/// The same Sinkhorn sweeps in the scaling (kernel) domain with absorption, for large problems on any device: each
/// sweep is two batched matrix-vector products instead of two log-sum-exp passes over the whole matrix.
/// </summary>
/// <remarks>
/// <para>With potentials <c>(f, g)</c> absorbed into <c>K = exp(Z + f + g)</c>, the corrections <c>u = a / (K v)</c> and
/// <c>v = b / (Kᵀ u)</c> are exactly <c>exp(f_new - f)</c> and <c>exp(g_new - g)</c> of the log-domain iterate (the row
/// update does not depend on <c>f</c>, the column update not on <c>g</c>). The corrections are folded back into the
/// potentials (one exp pass) after the first three sweeps, while they can still move far, and every
/// <see cref="AbsorbEvery"/> sweeps after that, so they stay near 1 and never under- or overflow. Used only where that
/// is safe: no masks, no relaxation, no annealing, no tolerance, plan detached (<see cref="CannotRun"/>), and a kernel
/// spread small enough for the dtype (<see cref="SinkhornBackend.Scaling"/>).</para>
/// <para>The spread test is value-dependent, so it is read back (one transfer, shared with the solve's value checks;
/// read in place, with no transfer, for CPU scores when the checks are off); the original never needs it (it always runs the log domain). Within the limit L (40 in float32, 300 in float64) the
/// first kernel lies in [exp(-L), 1], so the first corrections lie within exp(+-L) times size and marginal ratios;
/// after the first absorption the kernel is the plan of a full sweep (columns summing to b, rows at least
/// a_i min b), and each later correction is the potentials' movement since the last absorption, which no sweep
/// increases (the updates are non-expansive in the sup norm) and which stays within the range the spread allows. So
/// the outcome is not tested for finiteness (that test, never triggered, was a second read); this is an argument,
/// not a proof, and the tests at the limit stay finite.</para>
/// </remarks>
internal sealed class StabilizedScaling : ISinkhornBackend
{
    /// <summary>The one instance.</summary>
    public static StabilizedScaling Instance { get; } = new();

    private StabilizedScaling() { }

    /// <inheritdoc />
    public SinkhornBackend Kind => SinkhornBackend.Scaling;

    private const int AbsorbEvery = 10;

    // Spread (max - min) of Z + f0 + g0 per problem up to which exp() of it stays in the normal range of the dtype
    // with room for the corrections: float32 normals reach exp(-87), float64 exp(-708).
    private static double SpreadLimit(ScalarType t) => t == ScalarType.Float64 ? 300.0 : 40.0;

    /// <summary>Below this size (m' n') the log-domain path is as fast and its rounding is the original's: Auto keeps it there.</summary>
    internal const long MinimumEntries = 4096;

    /// <summary>Whether Auto prefers it for a problem it can run.</summary>
    public static bool WorthIt(SinkhornRun run) => run.Scores.shape[1] * run.Scores.shape[2] >= MinimumEntries;

    /// <inheritdoc />
    public string? CannotRun(SinkhornRun run)
    {
        var o = run.Options;
        if (o.Gradient != SinkhornGradient.Detach) return "it has no autograd (SinkhornOptions.Gradient must be Detach)";
        if (o.Annealing is not null) return "it does not anneal epsilon (SinkhornOptions.Annealing must be null)";
        if (o.Tolerance.HasValue) return "it has no convergence test (SinkhornOptions.Tolerance must be null)";
        if (o.MaxIterations == 0) return "it needs at least one sweep (SinkhornOptions.MaxIterations is 0)";
        if (run.Relaxation is not null) return "it does not take a KlRelaxation";
        if (run.Problem.Masked) return "it does not take masks (ragged problems)";
        return null;
    }

    /// <inheritdoc />
    public SinkhornIteration.Output? Run(SinkhornRun run, out string? declined)
    {
        var (p, options, f0, g0) = (run.Problem, run.Options, run.F0, run.G0);
        var s = run.Scores;
        declined = null;
        long batch = s.shape[0], rows = s.shape[1], cols = s.shape[2];
        var dtype = s.dtype;
        var device = s.device;
        var z = SinkhornRun.Scaled(s, options.Epsilon);
        var f = f0 ?? zeros(batch, rows, dtype: dtype, device: device);
        var g = g0 ?? zeros(batch, cols, dtype: dtype, device: device);

        using (var check = NewDisposeScope())
        {
            var start = SinkhornRun.LogKernel(z, f, g);
            var top = start.amax([1L, 2L]);
            using var limit = SpreadLimit(dtype).ToScalar();
            // The range test, the one value this backend needs on the host. With value checks on it rides in their
            // one transfer (they throw first if an input is bad); with them off, CPU scores are read in place (no
            // transfer, no sync), and scores on a device cost one transfer (Auto does not pick this backend there).
            var wide = top.sub(start.amin([1L, 2L])).gt(limit).any();
            bool tooWide;
            if (!run.Checks.Enabled && s.device_type == DeviceType.CPU)
            {
                tooWide = Norton.Core.Validation.HostReads.InPlaceFlag(wide);
            }
            else
            {
                int payload = run.Checks.AddPayload(wide);
                tooWide = run.Checks.Read()[payload][0];
            }
            if (tooWide)
            {
                declined = $"the spread of scores/epsilon (plus warm start) exceeds {SpreadLimit(dtype)} in a problem, beyond what exp() holds in {dtype}";
                return null;
            }
            // Shift f so that the first kernel's largest entry is 1 (the first row update does not depend on f).
            f = (f - top.unsqueeze(1)).MoveToOuterDisposeScope();
        }

        var a = p.LogA.exp();
        var b = p.LogB.exp();
        var kernel = SinkhornRun.LogKernel(z, f, g).exp();
        var u = ones(batch, rows, dtype: dtype, device: device);
        var v = ones(batch, cols, dtype: dtype, device: device);
        for (int t = 0; t < options.MaxIterations; t++)
        {
            using var sweep = NewDisposeScope();
            var uNew = a / kernel.bmm(v.unsqueeze(2)).squeeze(2);
            var vNew = b / uNew.unsqueeze(1).bmm(kernel).squeeze(1);
            int done = t + 1;
            if (done < options.MaxIterations && (done <= 3 || done % AbsorbEvery == 0))
            {
                var fNew = f.add(uNew.log(), Scalars.One);
                var gNew = g.add(vNew.log(), Scalars.One);
                var kNew = SinkhornRun.LogKernel(z, fNew, gNew).exp();
                (f, g, kernel) = (Swap(fNew, f), Swap(gNew, g), Swap(kNew, kernel));
                (u, v) = (Swap(ones_like(uNew), u), Swap(ones_like(vNew), v));
            }
            else
            {
                (u, v) = (Swap(uNew, u), Swap(vNew, v));
            }
        }
        // No finite test of the outcome (it would be a second read): within the spread limit nothing can leave the
        // dtype's range (see the remarks).
        f = f.add(u.log(), Scalars.One);
        g = g.add(v.log(), Scalars.One);

        using var noGrad = no_grad();
        var error = SinkhornMarginalError.RowL1(p, z, f, g).to(ScalarType.Float64);
        using var iterationCount = ((long)options.MaxIterations).ToScalar();
        using var defaultTolerance = SinkhornResult.DefaultTolerance.ToScalar();
        var iterations = full(batch, iterationCount, dtype: ScalarType.Int64, device: device);
        return new SinkhornIteration.Output(z, f, g, options.MaxIterations, iterations, error, error.le(defaultTolerance));
    }

    private static Tensor Swap(Tensor fresh, Tensor old)
    {
        fresh.MoveToOuterDisposeScope();
        old.Dispose();
        return fresh;
    }
}
