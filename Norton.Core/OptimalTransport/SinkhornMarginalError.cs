using static TorchSharp.torch;

namespace Norton.Core.OptimalTransport;

/// <summary>
/// The marginal error every torch backend reports (<see cref="SinkhornResult.MarginalError"/>): per problem, the L1
/// distance between the row sums of <c>exp(Z + f + g)</c> and the row marginal, masked rows excluded. The fused CPU
/// kernel computes the same sum per problem in its own loop, as part of its tolerance test.
/// </summary>
internal static class SinkhornMarginalError
{
    /// <summary>(B) in the compute dtype, without gradient.</summary>
    public static Tensor RowL1(PreparedProblem p, Tensor z, Tensor f, Tensor g)
    {
        using var noGrad = no_grad();
        var rowSums = SinkhornRun.LogKernel(z, f, g).logsumexp(2).exp();
        var target = p.MaskedLogA().exp();
        var diff = (rowSums - target).abs();
        if (p.RowValid is not null) diff = diff.masked_fill(p.RowValid.logical_not(), Scalars.Zero);
        return diff.sum(1);
    }
}
