using System.Numerics;

namespace Norton.Core.OptimalTransport;

internal sealed partial class FusedSinkhornKernel
{
    /// <summary>
    /// One problem, log-domain sweeps in the dtype, computed as the torch path computes them (terms <c>Z + g</c>, then a
    /// max-shifted log-sum-exp): for problems that spread too wide for the kernel domain, and for zero sweeps.
    /// </summary>
    private static void SolveInLogDomain<T>(in Views<T> views, in Settings<T> s, Workspace<T> w, long problem)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = s.Rows, cols = s.Columns;
        int p = (int)problem;
        var z = views.Z.Slice(p * rows * cols, rows * cols);
        var logA = views.LogA.Slice(p * rows, rows);
        var logB = views.LogB.Slice(p * cols, cols);
        var f = views.F.Slice(p * rows, rows);
        var g = views.G.Slice(p * cols, cols);
        var terms = w.Terms.AsSpan();
        if (views.HasF0) views.F0.Slice(p * rows, rows).CopyTo(f); else f.Clear();
        if (views.HasG0) views.G0.Slice(p * cols, cols).CopyTo(g); else g.Clear();

        int done = 0;
        T error = T.Zero;
        bool checkedLast = false;
        for (int t = 0; t < s.Iterations; t++)
        {
            for (int i = 0; i < rows; i++)
            {
                var row = terms[..cols];
                for (int j = 0; j < cols; j++) row[j] = z[i * cols + j] + g[j];
                f[i] = logA[i] - LogSumExp(row);
            }
            for (int j = 0; j < cols; j++)
            {
                var column = terms[..rows];
                for (int i = 0; i < rows; i++) column[i] = z[i * cols + j] + f[i];
                g[j] = logB[j] - LogSumExp(column);
            }
            done = t + 1;
            checkedLast = s.Checking && (done % s.CheckEvery == 0 || done == s.Iterations);
            if (checkedLast)
            {
                error = SinkhornMarginalError.RowL1(z, logA, f, g, terms[..cols]);
                if (!(error > s.Tolerance)) break;
            }
        }
        if (!checkedLast) error = SinkhornMarginalError.RowL1(z, logA, f, g, terms[..cols]);
        views.ProblemIterations[p] = done;
        views.Error[p] = double.CreateTruncating(error);
    }

    /// <summary>Torch's logsumexp: <c>log(sum exp(x - m)) + m</c> with <c>m = max x</c>, or 0 where that is infinite.</summary>
    internal static T LogSumExp<T>(Span<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = x[0];
        for (int k = 1; k < x.Length; k++) max = T.Max(max, x[k]);
        if (T.IsInfinity(max)) max = T.Zero;
        T sum = T.Zero;
        for (int k = 0; k < x.Length; k++) sum += T.Exp(x[k] - max);
        return T.Log(sum) + max;
    }
}
