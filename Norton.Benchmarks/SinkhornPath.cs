namespace Norton.Benchmarks;

/// <summary>Which implementation of the Sinkhorn sweeps a benchmark measures.</summary>
public enum SinkhornPath
{
    /// <summary>What <c>Sinkhorn.Solve</c> dispatches to: the fused CPU kernel where it applies, else the torch ops.</summary>
    Fused,

    /// <summary>The torch ops (SinkhornIteration), forced even where the fused kernel would apply.</summary>
    Torch,
}
