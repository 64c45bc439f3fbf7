using Norton.Core.Validation;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core.OptimalTransport;

/// <summary>One implementation of the Sinkhorn sweeps behind <see cref="Sinkhorn.Solve"/>.</summary>
internal interface ISinkhornBackend
{
    /// <summary>The option value that names it.</summary>
    SinkhornBackend Kind { get; }

    /// <summary>Null when it can run the problem, else why not (a sentence fragment for the exception message).</summary>
    string? CannotRun(SinkhornRun run);

    /// <summary>
    /// Runs the sweeps of a problem it can run, first reading <see cref="SinkhornRun.Checks"/> (one transfer, or none
    /// when nothing is queued), to which it may add its own range test. Null with a reason when the data turn out to be
    /// outside its range (the scaling domain's kernel spread); <see cref="SinkhornBackend.Auto"/> then runs the log domain.
    /// </summary>
    SinkhornIteration.Output? Run(SinkhornRun run, out string? declined);
}

/// <summary>
/// One solve's inputs as the backends see them (prepared in the compute dtype; warm starts batched), with the solve's
/// queued value checks (read by the backend that runs, before its sweeps).
/// </summary>
internal sealed record SinkhornRun(PreparedProblem Problem, SinkhornOptions Options, KlRelaxation? Relaxation, Tensor? F0, Tensor? G0,
    ValueChecks Checks)
{
    /// <summary>The scores (B, m', n') in the compute dtype.</summary>
    public Tensor Scores => Problem.Scores;

    /// <summary>
    /// <c>Z_ij + f_i + g_j</c> for Z (B, m', n'), f (B, m'), g (B, n'): the log of the plan (before Norton's scaling), in
    /// the original's order of additions.
    /// </summary>
    public static Tensor LogKernel(Tensor z, Tensor f, Tensor g) => z.add(f.unsqueeze(2), Scalars.One).add(g.unsqueeze(1), Scalars.One);

    /// <summary><c>Z = scores / epsilon</c>; the original skips the division for epsilon 1 (dividing by 1 is exact anyway).</summary>
    public static Tensor Scaled(Tensor scores, double epsilon)
    {
        if (epsilon == 1.0) return scores;
        using var e = epsilon.ToScalar();
        return scores.div(e);
    }
}
