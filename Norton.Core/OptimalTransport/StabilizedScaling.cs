using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core.OptimalTransport;

/// <summary>
/// The same Sinkhorn sweeps in the scaling (kernel) domain with absorption, for large problems on any device: each
/// sweep is two batched matrix-vector products instead of two log-sum-exp passes over the whole matrix.
/// </summary>
/// <remarks>
/// With potentials <c>(f, g)</c> absorbed into <c>K = exp(Z + f + g)</c>, the corrections <c>u = a / (K v)</c> and
/// <c>v = b / (Kᵀ u)</c> are exactly <c>exp(f_new - f)</c> and <c>exp(g_new - g)</c> of the log-domain iterate (the row
/// update does not depend on <c>f</c>, the column update not on <c>g</c>). The corrections are folded back into the
/// potentials (one exp pass) after the first three sweeps, while they can still move far, and every
/// <see cref="AbsorbEvery"/> sweeps after that, so they stay near 1 and never under- or overflow. Used only where that
/// is safe: no masks, no relaxation, no annealing, no tolerance, plan detached, and a kernel spread small enough for
/// the dtype; a non-finite outcome falls back to the log-domain path.
/// </remarks>
internal static class StabilizedScaling
{
    private const int AbsorbEvery = 10;

    // Spread (max - min) of Z + f0 + g0 per problem up to which exp() of it stays in the normal range of the dtype
    // with room for the corrections: float32 normals reach exp(-87), float64 exp(-708).
    private static double SpreadLimit(ScalarType t) => t == ScalarType.Float64 ? 300.0 : 40.0;

    // Below this size the log-domain path is as fast and its rounding is the original's.
    private const long MinimumEntries = 4096;

    public static SinkhornIteration.Output? TryRun(PreparedProblem p, SinkhornOptions options, KlRelaxation? relaxation, Tensor? f0, Tensor? g0)
    {
        var s = p.Scores!;
        if (FusedSinkhornKernel.ForceTorchPath || options.Gradient != SinkhornGradient.Detach || options.Annealing is not null || options.Tolerance.HasValue
            || relaxation is not null || p.Masked || options.MaxIterations == 0 || s.shape[1] * s.shape[2] < MinimumEntries)
            return null;

        long batch = s.shape[0], rows = s.shape[1], cols = s.shape[2];
        var dtype = s.dtype;
        var device = s.device;
        using var epsilon = options.Epsilon.ToScalar();
        var z = options.Epsilon == 1.0 ? s : s.div(epsilon);
        var f = f0 ?? zeros(batch, rows, dtype: dtype, device: device);
        var g = g0 ?? zeros(batch, cols, dtype: dtype, device: device);

        using (var check = NewDisposeScope())
        {
            var start = z.add(f.unsqueeze(2), Scalars.One).add(g.unsqueeze(1), Scalars.One);
            var spread = start.amax([1L, 2L]) - start.amin([1L, 2L]);
            using var limit = SpreadLimit(dtype).ToScalar();
            if (spread.gt(limit).any().item<bool>()) return null;
            // Shift f so that the first kernel's largest entry is 1 (the first row update does not depend on f).
            f = (f - start.amax([1L, 2L]).unsqueeze(1)).MoveToOuterDisposeScope();
        }

        var a = p.LogA.exp();
        var b = p.LogB.exp();
        var kernel = z.add(f.unsqueeze(2), Scalars.One).add(g.unsqueeze(1), Scalars.One).exp();
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
                var kNew = z.add(fNew.unsqueeze(2), Scalars.One).add(gNew.unsqueeze(1), Scalars.One).exp();
                (f, g, kernel) = (Swap(fNew, f), Swap(gNew, g), Swap(kNew, kernel));
                (u, v) = (Swap(ones_like(uNew), u), Swap(ones_like(vNew), v));
            }
            else
            {
                (u, v) = (Swap(uNew, u), Swap(vNew, v));
            }
        }
        f = f.add(u.log(), Scalars.One);
        g = g.add(v.log(), Scalars.One);
        if (!(f.isfinite().all().item<bool>() && g.isfinite().all().item<bool>()))
            return null; // never seen within the spread limits; the log-domain path then gives the exact answer

        using var noGrad = no_grad();
        var error = RowError(p, z, f, g);
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

    private static Tensor RowError(PreparedProblem p, Tensor z, Tensor f, Tensor g)
    {
        var rowSums = z.add(f.unsqueeze(2), Scalars.One).add(g.unsqueeze(1), Scalars.One).logsumexp(2).exp();
        return (rowSums - p.LogA.exp()).abs().sum(1).to(ScalarType.Float64);
    }
}
