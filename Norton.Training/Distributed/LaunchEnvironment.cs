using System.Globalization;

namespace Norton.Training.Distributed;

/// <summary>
/// What the launcher told this process through its environment, read without loading MPI: whether it is one of
/// several processes (Open MPI's <c>mpirun</c> sets <c>OMPI_COMM_WORLD_SIZE</c>, MPICH's Hydra <c>PMI_SIZE</c>, Slurm's
/// <c>srun</c> <c>SLURM_STEP_NUM_TASKS</c> with <c>PMIX_RANK</c> or <c>PMI_RANK</c>) and its rank among the processes
/// of its host. A process started without a launcher, or as a world of one, never loads MPI.
/// </summary>
public static class LaunchEnvironment
{
    /// <summary>The number of processes the launcher started (1 without a launcher).</summary>
    public static int WorldSize => WorldSizeOf(Environment.GetEnvironmentVariable);

    /// <summary>This process's rank among those on its host (0 without a launcher); picks the GPU.</summary>
    public static int LocalRank => LocalRankOf(Environment.GetEnvironmentVariable);

    /// <summary>True when several processes were launched, so MPI must be initialised.</summary>
    public static bool IsMultiProcess => WorldSize > 1;

    /// <summary><see cref="WorldSize"/> computed from an arbitrary environment (for tests).</summary>
    /// <param name="variable">Looks up one environment variable; null when unset.</param>
    public static int WorldSizeOf(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        int? size = Positive(variable, "OMPI_COMM_WORLD_SIZE") ?? Positive(variable, "PMI_SIZE");
        if (size is null && (variable("PMIX_RANK") is not null || variable("PMI_RANK") is not null))
            size = Positive(variable, "SLURM_STEP_NUM_TASKS") ?? Positive(variable, "SLURM_NTASKS");
        return size ?? 1;
    }

    /// <summary><see cref="LocalRank"/> computed from an arbitrary environment (for tests).</summary>
    /// <param name="variable">Looks up one environment variable; null when unset.</param>
    public static int LocalRankOf(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return NonNegative(variable, "OMPI_COMM_WORLD_LOCAL_RANK") ?? NonNegative(variable, "MPI_LOCALRANKID")
            ?? NonNegative(variable, "SLURM_LOCALID") ?? NonNegative(variable, "PMI_LOCAL_RANK") ?? 0;
    }

    private static int? Positive(Func<string, string?> variable, string name) =>
        NonNegative(variable, name) is int v && v > 0 ? v : null;

    private static int? NonNegative(Func<string, string?> variable, string name)
    {
        string? text = variable(name);
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            throw new InvalidOperationException($"Environment variable {name} should hold a non-negative integer but holds '{text}'.");
        return value;
    }
}
