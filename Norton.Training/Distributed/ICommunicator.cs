namespace Norton.Training.Distributed;

/// <summary>
/// The processes of one data-parallel job and the collective operations data-parallel training needs. Every
/// collective must be called by every rank, in the same order, with matching sizes (MPI's rule); a rank that skips
/// one blocks the others. <see cref="DistributedWorld.Join"/> gives the MPI world under a launcher and a world of
/// one otherwise, where every operation is a copy or a no-op.
/// </summary>
public interface ICommunicator : IDisposable
{
    /// <summary>This process's rank, 0 ≤ rank &lt; <see cref="Size"/>.</summary>
    int Rank { get; }

    /// <summary>The number of processes.</summary>
    int Size { get; }

    /// <summary>This process's rank among the processes on its host (picks its GPU).</summary>
    int LocalRank { get; }

    /// <summary>True on rank 0, the rank that writes checkpoints and logs.</summary>
    bool IsRoot => Rank == 0;

    /// <summary>Waits until every rank has called it.</summary>
    void Barrier();

    /// <summary>Overwrites <paramref name="buffer"/> on every rank with its contents on <paramref name="root"/>.</summary>
    /// <param name="buffer">The same length on every rank.</param>
    /// <param name="root">The rank whose contents win.</param>
    void Broadcast<T>(Span<T> buffer, int root = 0) where T : unmanaged;

    /// <summary>Replaces <paramref name="buffer"/> on every rank with the element-wise sum over the ranks.</summary>
    /// <param name="buffer">The same length on every rank.</param>
    void AllReduceSum(Span<float> buffer);

    /// <summary>Replaces <paramref name="buffer"/> on every rank with the element-wise sum over the ranks.</summary>
    /// <param name="buffer">The same length on every rank.</param>
    void AllReduceSum(Span<double> buffer);

    /// <summary>Every rank's <paramref name="mine"/>, concatenated in rank order; all ranks pass the same length.</summary>
    T[] AllGather<T>(ReadOnlySpan<T> mine) where T : unmanaged;

    /// <summary>Every rank's <paramref name="mine"/>, concatenated in rank order; lengths may differ.</summary>
    /// <param name="mine">This rank's part.</param>
    /// <param name="counts">The length of each rank's part.</param>
    T[] AllGatherVariable<T>(ReadOnlySpan<T> mine, out int[] counts) where T : unmanaged;

    /// <summary>Ends every process of the job with <paramref name="exitCode"/> (MPI_Abort); does not return under
    /// MPI. In a world of one it exits this process.</summary>
    void Abort(int exitCode);
}
