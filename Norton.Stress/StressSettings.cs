using Norton.Losses;

namespace Norton.Stress;

/// <summary>Settings shared by the workloads.</summary>
internal static class StressSettings
{
    /// <summary>The paper's loss with 5 Sinkhorn sweeps instead of 50: the same ops, many more steps per second.</summary>
    public static NortonLossOptions Loss { get; } = NortonLossOptions.Paper with { SinkhornIterations = 5 };
}
