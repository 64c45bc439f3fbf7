using System.Text;

namespace Norton.Training.Distributed;

/// <summary>
/// Gathers the candidate batch lists the ranks built from their own shares (each rank builds the retrieval index
/// for its share only, as the original does), so that every rank then holds the same list, in rank order, and can
/// shuffle it with the shared epoch seed.
/// </summary>
public static class BatchListGather
{
    /// <summary>All ranks' batches of integer video ids: rank 0's batches first, then rank 1's, and so on.</summary>
    /// <param name="world">The job's communicator.</param>
    /// <param name="mine">This rank's batches (each a list of ids; lengths may differ).</param>
    public static IReadOnlyList<long[]> Gather(ICommunicator world, IReadOnlyList<IReadOnlyList<long>> mine)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(mine);
        var lengths = new long[mine.Count];
        var flat = new List<long>();
        for (int b = 0; b < mine.Count; b++)
        {
            ArgumentNullException.ThrowIfNull(mine[b], $"{nameof(mine)}[{b}]");
            lengths[b] = mine[b].Count;
            flat.AddRange(mine[b]);
        }
        long[] allLengths = world.AllGatherVariable<long>(lengths, out _);
        long[] allIds = world.AllGatherVariable<long>(flat.ToArray(), out _);
        var batches = new List<long[]>(allLengths.Length);
        long at = 0;
        foreach (long n in allLengths)
        {
            batches.Add(allIds.AsSpan((int)at, (int)n).ToArray());
            at += n;
        }
        return batches;
    }

    /// <summary>All ranks' batches of string video ids (sent as UTF-8), in rank order.</summary>
    /// <param name="world">The job's communicator.</param>
    /// <param name="mine">This rank's batches.</param>
    public static IReadOnlyList<string[]> Gather(ICommunicator world, IReadOnlyList<IReadOnlyList<string>> mine)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(mine);
        var shape = new List<long>(); // per batch: its id count, then each id's byte length
        var bytes = new List<byte>();
        for (int b = 0; b < mine.Count; b++)
        {
            ArgumentNullException.ThrowIfNull(mine[b], $"{nameof(mine)}[{b}]");
            shape.Add(mine[b].Count);
            foreach (string id in mine[b])
            {
                byte[] utf8 = Encoding.UTF8.GetBytes(id ?? throw new ArgumentException($"batch {b} holds a null id.", nameof(mine)));
                shape.Add(utf8.Length);
                bytes.AddRange(utf8);
            }
        }
        long[] allShape = world.AllGatherVariable<long>(shape.ToArray(), out _);
        byte[] allBytes = world.AllGatherVariable<byte>(bytes.ToArray(), out _);
        var batches = new List<string[]>();
        int s = 0, at = 0;
        while (s < allShape.Length)
        {
            var batch = new string[allShape[s++]];
            for (int i = 0; i < batch.Length; i++)
            {
                int n = (int)allShape[s++];
                batch[i] = Encoding.UTF8.GetString(allBytes, at, n);
                at += n;
            }
            batches.Add(batch);
        }
        return batches;
    }
}
