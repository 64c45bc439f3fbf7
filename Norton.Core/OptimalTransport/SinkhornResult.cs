using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core.OptimalTransport;

/// <summary>
/// The outcome of a Sinkhorn solve. Tensors are batched (B, ...) when the scores were, else unbatched. The result owns
/// them: dispose it (or move what you keep out of your dispose scope).
/// </summary>
/// <remarks>
/// Under <see cref="SinkhornGradient.Detach"/> no tensor carries a gradient. Under <see cref="SinkhornGradient.Unrolled"/>
/// <see cref="LogPlan"/>, <see cref="Plan"/>, <see cref="AugmentedLogPlan"/>, <see cref="F"/> and <see cref="G"/> do;
/// <see cref="MarginalError"/>, <see cref="Converged"/> and <see cref="ProblemIterations"/> never do.
/// </remarks>
public sealed class SinkhornResult : IDisposable
{
    internal SinkhornResult(Tensor logPlan, Tensor plan, Tensor? augmentedLogPlan, Tensor f, Tensor g, int iterations,
        Tensor problemIterations, Tensor marginalError, Tensor converged, SinkhornBackend backend,
        FusedSinkhornKernel.RunStatistics? fusedStatistics)
    {
        Backend = backend;
        FusedStatistics = fusedStatistics;
        LogPlan = logPlan;
        Plan = plan;
        AugmentedLogPlan = augmentedLogPlan;
        F = f;
        G = g;
        Iterations = iterations;
        ProblemIterations = problemIterations;
        MarginalError = marginalError;
        Converged = converged;
    }

    /// <summary>
    /// Log of the plan, (B, m, n) or (m, n), in the input dtype. Under <see cref="Marginals.SuperGlue"/> this is
    /// <c>log((m+n) P)</c> (Norton's scaling); with a prompt bucket it is cropped to the m x n scores. Masked entries are
    /// <c>-infinity</c>.
    /// </summary>
    public Tensor LogPlan { get; }

    /// <summary>The plan, <c>exp(LogPlan)</c>, same shape and dtype.</summary>
    public Tensor Plan { get; }

    /// <summary>With a prompt bucket: the full (B, m+1, n+1) log-plan including the bucket row and column; else null.</summary>
    public Tensor? AugmentedLogPlan { get; }

    /// <summary>
    /// Row potentials (B, m) of the (augmented) problem in units of the scaled kernel <c>scores/epsilon</c>
    /// (multiply by epsilon for OTT-JAX's units), in the compute dtype (float32 for half-precision scores, whose range
    /// they exceed). Pass them back as a warm start.
    /// </summary>
    public Tensor F { get; }

    /// <summary>Column potentials (B, n), same units as <see cref="F"/>.</summary>
    public Tensor G { get; }

    /// <summary>Sweeps run (the largest over the batch).</summary>
    public int Iterations { get; }

    /// <summary>Sweeps each problem ran before it converged or the limit was reached, (B) int64.</summary>
    public Tensor ProblemIterations { get; }

    /// <summary>
    /// Per problem, L1 distance between the plan's row sums and the row marginal (columns are exact after a sweep), in
    /// the unscaled plan's units; for a <see cref="KlRelaxation"/> the largest change of a potential in the last sweep.
    /// float64, (B) or 0-dim.
    /// </summary>
    public Tensor MarginalError { get; }

    /// <summary>
    /// Per problem: the error is at most <see cref="SinkhornOptions.Tolerance"/> (or <see cref="DefaultTolerance"/> when
    /// no tolerance was set). Bool, (B) or 0-dim.
    /// </summary>
    public Tensor Converged { get; }

    /// <summary>The implementation that ran (never <see cref="SinkhornBackend.Auto"/>).</summary>
    public SinkhornBackend Backend { get; }

    /// <summary>With <see cref="SinkhornBackend.FusedCpu"/>: how many problems ran in its kernel and its log domain.</summary>
    internal FusedSinkhornKernel.RunStatistics? FusedStatistics { get; }

    /// <summary>Threshold used for <see cref="Converged"/> when the options set no tolerance.</summary>
    public const double DefaultTolerance = 1e-6;

    /// <inheritdoc />
    public void Dispose()
    {
        LogPlan.Dispose();
        Plan.Dispose();
        AugmentedLogPlan?.Dispose();
        F.Dispose();
        G.Dispose();
        ProblemIterations.Dispose();
        MarginalError.Dispose();
        Converged.Dispose();
    }
}
