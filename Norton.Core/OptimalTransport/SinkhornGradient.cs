namespace Norton.Core.OptimalTransport;

/// <summary>How gradients flow through a Sinkhorn solve.</summary>
public enum SinkhornGradient
{
    /// <summary>
    /// The plan is a constant, as in Norton (its OT routines run under <c>torch.no_grad()</c>): no output of the solve
    /// carries a gradient. Cheapest: nothing is recorded.
    /// </summary>
    Detach,

    /// <summary>
    /// Autograd through every iteration: the log-plan, plan and potentials carry gradients with respect to the scores,
    /// a tensor bucket value and tensor marginals. Memory grows with the iteration count.
    /// </summary>
    Unrolled,
}
