using System.Diagnostics;
using System.Text.Json;
using Norton.Core.Native;
using TorchSharp;

namespace Norton.Stress;

/// <summary>
/// Runs one stress workload for a number of steps while other threads allocate ordinary .NET objects, and prints
/// one JSON line. A native abort (TorchSharp's Scalar race, docs/thread-safety.md) ends the process with a non-zero
/// exit code and no line, which is why the tests run this program as a child process.
/// </summary>
public static class Program
{
    /// <summary>Usage line.</summary>
    public const string Usage =
        "Norton.Stress <workload> [--steps N] [--allocators K] [--trainers K] [--optimizer norton|torch]\n" +
        "  workloads: " + Workloads.Names;

    /// <summary>Entry point; returns 0 when every step ran, 2 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        StressArguments parsed;
        try
        {
            parsed = StressArguments.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: " + Usage);
            return 2;
        }

        NortonNative.EnsureInitialized();
        torch.set_num_threads(1);
        long gcBefore = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        using (var allocators = new AllocatingThreads(parsed.Allocators))
        {
            var trainers = Enumerable.Range(0, parsed.Trainers).Select(i => new Thread(() => Train(parsed, i)) { IsBackground = true }).ToList();
            foreach (var t in trainers) t.Start();
            foreach (var t in trainers) t.Join();
        }
        var line = new Dictionary<string, object>
        {
            ["command"] = "stress",
            ["workload"] = parsed.Workload,
            ["steps"] = parsed.Steps,
            ["trainers"] = parsed.Trainers,
            ["allocators"] = parsed.Allocators,
            ["optimizer"] = parsed.Optimizer,
            ["gen0_collections"] = GC.CollectionCount(0) - gcBefore,
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2),
            ["survived"] = true,
        };
        Console.WriteLine(JsonSerializer.Serialize(line));
        return 0;
    }

    private static void Train(StressArguments a, int seed)
    {
        using var workload = Workloads.Create(a.Workload, a.Optimizer, seed);
        for (long step = 0; step < a.Steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            workload.Step();
        }
    }
}
