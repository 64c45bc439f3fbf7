using System.Numerics;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Norton.Core.OptimalTransport;

/// <summary>
/// The marginal error every backend reports (<see cref="SinkhornResult.MarginalError"/>) and tests against the
/// tolerance: per problem, the L1 distance between the row sums of the plan <c>exp(Z + f + g)</c> and the row marginal,
/// <c>sum_i |sum_j exp(Z_ij + f_i + g_j) - a_i|</c>, masked rows excluded. One formula in the three layouts the
/// backends hold their state in: torch tensors (<see cref="SinkhornBackend.LogDomain"/>,
/// <see cref="SinkhornBackend.Scaling"/>), one problem's potentials in spans and a batch of problems in vector lanes
/// (<see cref="SinkhornBackend.FusedCpu"/>, which needs it inside its loop for per-problem freezing).
/// </summary>
internal static class SinkhornMarginalError
{
    /// <summary>(B) in the compute dtype, without gradient: row sums as <c>exp(LSE_j(Z_ij + f_i + g_j))</c>.</summary>
    public static Tensor RowL1(PreparedProblem p, Tensor z, Tensor f, Tensor g)
    {
        using var noGrad = no_grad();
        var rowSums = SinkhornRun.LogKernel(z, f, g).logsumexp(2).exp();
        var target = p.MaskedLogA().exp();
        var diff = (rowSums - target).abs();
        if (p.RowValid is not null) diff = diff.masked_fill(p.RowValid.logical_not(), Scalars.Zero);
        return diff.sum(1);
    }

    /// <summary>
    /// One problem in the log domain, computed as the torch form computes it: row sums <c>exp(LSE_j(Z_ij + f_i + g_j))</c>
    /// (torch's max-shifted log-sum-exp), targets <c>exp(log a_i)</c>. <paramref name="row"/> is scratch of n' entries.
    /// </summary>
    public static T RowL1<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> logA, ReadOnlySpan<T> f, ReadOnlySpan<T> g, Span<T> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = g.Length;
        T error = T.Zero;
        for (int i = 0; i < f.Length; i++)
        {
            for (int j = 0; j < cols; j++) row[j] = z[i * cols + j] + f[i] + g[j];
            error += T.Abs(T.Exp(FusedSinkhornKernel.LogSumExp(row)) - T.Exp(logA[i]));
        }
        return error;
    }

    /// <summary>
    /// Problems in vector lanes, in the kernel domain: <c>exp(Z + f + g) = u_i K_ij v_j</c> with the scalings
    /// <paramref name="u"/> (m'), <paramref name="v"/> (n') and kernel <paramref name="kernel"/> (m' n', row-major), so
    /// row sums are <c>u_i sum_j K_ij v_j</c>; <paramref name="a"/> holds the marginal <c>a_i</c> itself (not its log).
    /// </summary>
    public static Vector256<T> RowL1<T>(Span<Vector256<T>> kernel, Span<Vector256<T>> u, Span<Vector256<T>> v, Span<Vector256<T>> a, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var error = Vector256<T>.Zero;
        for (int i = 0; i < u.Length; i++)
        {
            var row = kernel.Slice(i * cols, cols);
            var sum = Vector256<T>.Zero;
            for (int j = 0; j < cols; j++) sum = FusedSinkhornKernel.MultiplyAdd(row[j], v[j], sum);
            error += Vector256.Abs(u[i] * sum - a[i]);
        }
        return error;
    }
}
