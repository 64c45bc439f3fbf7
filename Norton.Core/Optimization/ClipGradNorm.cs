using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core.Optimization;

/// <summary>
/// <c>torch.nn.utils.clip_grad_norm_</c> without temporary TorchSharp Scalars (docs/thread-safety.md): scales the
/// gradients in place so that their joint norm is at most <c>maxNorm</c>, and returns the norm before clipping.
/// </summary>
public static class ClipGradNorm
{
    private static readonly Scalar ClipEpsilon = 1e-6.ToScalar();

    /// <summary>
    /// Computes the <paramref name="normType"/>-norm of all gradients together (as if concatenated), then multiplies
    /// each gradient by <c>min(1, maxNorm / (norm + 1e-6))</c>. Parameters without a gradient are skipped.
    /// </summary>
    /// <param name="parameters">The parameters whose <c>.grad</c> is clipped.</param>
    /// <param name="maxNorm">Largest norm allowed; finite and >= 0.</param>
    /// <param name="normType">p of the p-norm (> 0), or <see cref="double.PositiveInfinity"/> for the largest |g|.</param>
    /// <returns>The total norm before clipping, a 0-d tensor on the gradients' device (0 when no gradient exists).
    /// The caller owns it; read it with <c>item&lt;float&gt;()</c> only where a host sync is acceptable.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> or <paramref name="normType"/> out of range.</exception>
    public static Tensor Apply(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2.0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0) || !double.IsFinite(maxNorm))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, $"maxNorm must be a finite number >= 0, but is {maxNorm}.");
        if (!(normType > 0))
            throw new ArgumentOutOfRangeException(nameof(normType), normType, $"normType must be > 0 or +infinity, but is {normType}.");
        var grads = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return zeros(Array.Empty<long>());

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool infinity = double.IsPositiveInfinity(normType);
        var norms = grads.Select(g => infinity ? g.detach().abs().max() : g.detach().norm((float)normType)).ToArray();
        var stacked = stack(norms);
        var total = infinity ? stacked.max() : stacked.norm((float)normType);
        using var max = maxNorm.ToScalar();
        var coefficient = total.add(ClipEpsilon, Scalars.One).reciprocal().mul(max).clamp_max(Scalars.One);
        foreach (var g in grads) g.mul_(coefficient.to(g.dtype, g.device));
        return total.MoveToOuterDisposeScope();
    }
}
