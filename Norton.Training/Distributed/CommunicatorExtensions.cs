using TorchSharp;

namespace Norton.Training.Distributed;

/// <summary>Small helpers every data-parallel loop needs: rank-0-only work, averages over ranks, the rank's device.</summary>
public static class CommunicatorExtensions
{
    /// <summary>Runs <paramref name="action"/> on rank 0 only (checkpoints, logs, the progress display); the other
    /// ranks skip it. No barrier: add <see cref="ICommunicator.Barrier"/> when the others must wait for its result
    /// (e.g. before reading a checkpoint rank 0 just wrote).</summary>
    public static void OnRoot(this ICommunicator world, Action action)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(action);
        if (world.Rank == 0) action();
    }

    /// <summary>
    /// The mean over all ranks' items given each rank's sum and item count, e.g. the validation loss: each rank
    /// passes the sum of its batches' losses and its batch count, every rank gets <c>Σ sums / Σ counts</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative count, or no items on any rank.</exception>
    public static double Average(this ICommunicator world, double sum, long count)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Span<double> totals = [sum, count];
        world.AllReduceSum(totals);
        if (totals[1] <= 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "no rank had any item to average.");
        return totals[0] / totals[1];
    }

    /// <summary>True on every rank when <paramref name="mine"/> is true on any rank (e.g. a cancellation that reached
    /// some ranks first), so that all ranks take the same branch; no communication in a world of one.</summary>
    public static bool AnyRank(this ICommunicator world, bool mine)
    {
        ArgumentNullException.ThrowIfNull(world);
        if (world.Size == 1) return mine;
        Span<double> flag = [mine ? 1 : 0];
        world.AllReduceSum(flag);
        return flag[0] > 0;
    }

    /// <summary>The device for this rank: CUDA device <c>LocalRank mod device_count</c> when CUDA is available,
    /// else the CPU.</summary>
    public static torch.Device Device(this ICommunicator world)
    {
        ArgumentNullException.ThrowIfNull(world);
        return torch.cuda.is_available()
            ? torch.device(DeviceType.CUDA, world.LocalRank % torch.cuda.device_count())
            : torch.CPU;
    }
}
