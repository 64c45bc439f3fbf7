using Norton.Core.OptimalTransport;
using static TorchSharp.torch;

namespace Norton.Losses;

/// <summary>How one of the loss's Sinkhorn solves ended (copied from its <see cref="SinkhornResult"/>).</summary>
public sealed class SinkhornDiagnostics : IDisposable
{
    internal SinkhornDiagnostics(SinkhornResult result)
    {
        Iterations = result.Iterations;
        MarginalError = result.MarginalError.detach().MoveToOuterDisposeScope();
        Converged = result.Converged.detach().MoveToOuterDisposeScope();
    }

    /// <summary>Sweeps run (Norton: always the configured count).</summary>
    public int Iterations { get; }

    /// <summary>
    /// L1 row-marginal error per problem, (B) or 0-dim float64. Norton's fixed count leaves the rows inexact (docs/quirks.md Q5).
    /// </summary>
    public Tensor MarginalError { get; }

    /// <summary>Per problem: the error is at most <see cref="SinkhornResult.DefaultTolerance"/>, (B) or 0-dim bool.</summary>
    public Tensor Converged { get; }

    /// <summary>The tensors this object owns.</summary>
    internal IEnumerable<Tensor> Tensors() => [MarginalError, Converged];

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in Tensors()) t.Dispose();
    }
}
