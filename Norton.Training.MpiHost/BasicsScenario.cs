using System.Text.Json;
using Norton.Training.Distributed;

namespace Norton.Training.MpiHost;

/// <summary>Runs each collective on inputs that depend on the rank and prints what came back; the tests compare it
/// with the values the definitions of the collectives give.</summary>
public static class BasicsScenario
{
    /// <summary>Elements of the all-reduce buffers (crosses no chunk boundary but is more than a cache line).</summary>
    public const int ReduceLength = 1000;

    /// <summary>Runs the collectives and reports them: on stdout, and with <paramref name="outDirectory"/> also in
    /// <c>basics-rank{r}.json</c> there. Ranks' long stdout lines can interleave in mpirun's forwarding (a CI run
    /// saw another rank's bytes in the middle of a 12 KB line), so multi-rank tests read the files.</summary>
    public static void Run(ICommunicator world, string? outDirectory = null)
    {
        int rank = world.Rank, size = world.Size;
        int root = size - 1;
        var bcast = Enumerable.Range(0, 5).Select(i => rank * 10.0 + i).ToArray();
        world.Broadcast<double>(bcast, root);

        var floats = Enumerable.Range(0, ReduceLength).Select(i => (float)((rank + 1) * i)).ToArray();
        world.AllReduceSum(floats);
        var doubles = Enumerable.Range(0, ReduceLength).Select(i => (rank + 1) * (i + 0.25)).ToArray();
        world.AllReduceSum(doubles);

        long[] gathered = world.AllGather<long>([rank, rank * 100L]);
        long[] variable = world.AllGatherVariable<long>(Enumerable.Range(0, rank + 1).Select(i => rank * 1000L + i).ToArray(), out int[] counts);
        var strings = BatchListGather.Gather(world, new[] { new[] { $"r{rank}-a", $"r{rank}-ü" }, new[] { $"r{rank}-c" } });
        var ids = BatchListGather.Gather(world, new[] { new long[] { rank, rank + 10L }, new long[] { rank + 20L } });
        double average = world.Average(rank + 1.0, 1);
        ulong seed = DataShare.SharedSeed(world, 12345UL + (ulong)rank);
        bool[] any = [world.AnyRank(rank == size - 1), world.AnyRank(false)];

        // .NET turns SIGSEGV into NullReferenceException; MPI must not have taken that signal over.
        bool nullReferenceCaught = false;
        try
        {
            object? nothing = rank >= 0 ? null : new object();
            _ = nothing!.GetHashCode();
        }
        catch (NullReferenceException)
        {
            nullReferenceCaught = true;
        }
        world.Barrier();

        var line = new Dictionary<string, object?>
        {
            ["rank"] = rank, ["size"] = size, ["local_rank"] = world.LocalRank,
            ["communicator"] = world.GetType().Name,
            ["flavor"] = (world as MpiCommunicator)?.Flavor.ToString(),
            ["bcast"] = bcast, ["float_sum"] = floats, ["double_sum"] = doubles,
            ["allgather"] = gathered, ["allgatherv"] = variable, ["allgatherv_counts"] = counts,
            ["string_batches"] = strings, ["id_batches"] = ids, ["average"] = average, ["seed"] = seed, ["any_rank"] = any,
            ["null_reference_caught"] = nullReferenceCaught,
            ["mpi_loaded"] = File.Exists("/proc/self/maps") && File.ReadAllText("/proc/self/maps").Contains("libmpi", StringComparison.Ordinal),
        };
        string json = JsonSerializer.Serialize(line);
        Console.WriteLine(json);
        if (outDirectory is not null)
        {
            string path = Path.Combine(outDirectory, $"basics-rank{rank}.json");
            File.WriteAllText(path + ".tmp", json);
            File.Move(path + ".tmp", path, overwrite: true);
        }
    }
}
