namespace Norton.Training.Distributed;

/// <summary>A world of one: the process was not started by an MPI launcher. Collectives copy or do nothing, so the
/// data-parallel code path gives exactly the single-process results.</summary>
public sealed class SingleProcessCommunicator : ICommunicator
{
    /// <summary>The one instance.</summary>
    public static SingleProcessCommunicator Instance { get; } = new();

    private SingleProcessCommunicator() { }

    /// <inheritdoc />
    public int Rank => 0;

    /// <inheritdoc />
    public int Size => 1;

    /// <inheritdoc />
    public int LocalRank => 0;

    /// <inheritdoc />
    public void Barrier() { }

    /// <inheritdoc />
    public void Broadcast<T>(Span<T> buffer, int root = 0) where T : unmanaged => CheckRoot(root);

    /// <inheritdoc />
    public void AllReduceSum(Span<float> buffer) { }

    /// <inheritdoc />
    public void AllReduceSum(Span<double> buffer) { }

    /// <inheritdoc />
    public T[] AllGather<T>(ReadOnlySpan<T> mine) where T : unmanaged => mine.ToArray();

    /// <inheritdoc />
    public T[] AllGatherVariable<T>(ReadOnlySpan<T> mine, out int[] counts) where T : unmanaged
    {
        counts = [mine.Length];
        return mine.ToArray();
    }

    /// <inheritdoc />
    public void Abort(int exitCode) => Environment.Exit(exitCode);

    /// <inheritdoc />
    public void Dispose() { }

    private static void CheckRoot(int root)
    {
        if (root != 0)
            throw new ArgumentOutOfRangeException(nameof(root), root, "root must be a rank of the world (0 in a world of one).");
    }
}
