namespace Norton.Training.Distributed;

/// <summary>
/// How ranks divide an epoch's work without talking: disjoint shares of the training videos, the shared batch order
/// (one seed per epoch, the same on every rank) and which batch each rank takes at each step.
/// </summary>
public static class DataShare
{
    /// <summary>
    /// This rank's share of <paramref name="items"/>: the items at positions <c>rank, rank + size, rank + 2·size, …</c>
    /// (PyTorch's DistributedSampler without shuffling). Shares are disjoint, cover every item and differ in length
    /// by at most one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">rank is outside [0, size).</exception>
    public static IReadOnlyList<T> ShareOf<T>(IReadOnlyList<T> items, int rank, int size)
    {
        ArgumentNullException.ThrowIfNull(items);
        CheckRank(rank, size);
        var share = new List<T>((items.Count + size - 1) / size);
        for (int i = rank; i < items.Count; i += size) share.Add(items[i]);
        return share;
    }

    /// <summary>
    /// Steps per epoch when every rank takes one batch per step from a shared list of <paramref name="batchCount"/>
    /// batches: <c>batchCount / size</c>, dropping the last <c>batchCount mod size</c> so every rank makes the same
    /// number of updates (a rank with one more step would wait forever in its all-reduce).
    /// </summary>
    public static long StepsPerEpoch(long batchCount, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        return batchCount / size;
    }

    /// <summary>The position in the shared (shuffled) batch list that <paramref name="rank"/> takes at
    /// <paramref name="step"/>: <c>step · size + rank</c>. A world of one takes batch <c>step</c>.</summary>
    public static long BatchIndex(long step, int rank, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        CheckRank(rank, size);
        return checked(step * size + rank);
    }

    /// <summary>
    /// The shuffle seed of <paramref name="epoch"/>, derived from the run's seed so that every rank, and a resumed
    /// run, shuffles the same way without communicating (one SplitMix64 step of <c>seed + epoch</c>).
    /// </summary>
    public static ulong EpochSeed(ulong runSeed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var mix = new Sampling.SplitMix64(unchecked(runSeed + (ulong)epoch));
        return mix.Next();
    }

    /// <summary>
    /// The seed of <paramref name="rank"/>'s own random source in <paramref name="epoch"/> (the clips it samples
    /// while planning its share): different on every rank, the same in a resumed run, no state to store.
    /// </summary>
    public static ulong RankSeed(ulong runSeed, int epoch, int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        var mix = new Sampling.SplitMix64(unchecked(EpochSeed(runSeed, epoch) ^ (0x9E3779B97F4A7C15UL * (ulong)(rank + 1))));
        return mix.Next();
    }

    /// <summary>
    /// <paramref name="items"/> in the order of a Fisher–Yates shuffle driven by <paramref name="seed"/> (the same
    /// order on every rank that passes the same seed, e.g. <see cref="EpochSeed"/>).
    /// </summary>
    public static IReadOnlyList<T> Shuffled<T>(IReadOnlyList<T> items, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        var order = items.ToArray();
        var random = new Sampling.SplitMix64(seed);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)random.RandInt(0, i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>Rank 0's <paramref name="seed"/> on every rank (for a seed drawn at run time, e.g. from the clock).</summary>
    public static ulong SharedSeed(ICommunicator world, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(world);
        Span<ulong> value = [seed];
        world.Broadcast(value, root: 0);
        return value[0];
    }

    private static void CheckRank(int rank, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if ((uint)rank >= (uint)size)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be in [0, {size}).");
    }
}
