using System.Text.Json;
using Norton.Training;

namespace Norton.Benchmarks;

/// <summary>
/// <c>soak-step</c>: runs <see cref="NortonTrainer"/> for many updates on a synthetic corpus and prints one JSON line
/// with the resident memory after the first updates and at the end: memory must stay flat (nothing grows per update).
/// Not for CI: minutes at paper size.
/// </summary>
public static class SoakStepCommand
{
    /// <summary>Usage line.</summary>
    public const string Usage = "soak-step --clips N [--updates U] [--size full|reduced] [--recompute] [--threads T]";

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var cl = new CommandLine(args, "recompute");
        long clips = cl.Integer("clips", min: 16);
        long updates = cl.Integer("updates", 200, min: 20);
        string size = cl.Choice("size", "reduced", "full");
        bool recompute = cl.Flag("recompute");
        int threads = (int)cl.Integer("threads", BenchmarkEnvironment.Threads, min: 1);
        cl.RejectUnknown();
        BenchmarkEnvironment.Initialize(threads, Console.Error);

        var model = StepInputs.Model(size);
        var data = StepInputs.Data(clips, model);
        string output = Path.Combine(Path.GetTempPath(), "norton-soak-" + Environment.ProcessId);
        var memory = new MemoryProbe(10);
        var options = new TrainerOptions
        {
            Model = model, MaxUpdates = updates, MaxEpoch = int.MaxValue, OutputDirectory = output, SaveIntervalUpdates = 0,
            TensorBoard = false, RecomputeActivations = recompute, LearningRate = 1e-4, WarmupUpdates = 10, TotalNumUpdate = 100_000,
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var trainer = new NortonTrainer(options, data, observers: [memory])) trainer.Train();
        double seconds = clock.Elapsed.TotalSeconds;
        Directory.Delete(output, recursive: true);
        var line = new Dictionary<string, object?>
        {
            ["command"] = "soak-step", ["clips"] = clips, ["updates"] = updates, ["size"] = size, ["recompute"] = recompute, ["threads"] = threads,
            ["rss_mib_after_10"] = memory.Early, ["rss_mib_end"] = memory.Last, ["rss_growth_mib"] = Math.Round(memory.Last - memory.Early, 1),
            ["updates_per_second"] = Math.Round(updates / seconds, 3),
            ["peak_working_set_mib"] = Math.Round(ProcessMemory.PeakBytes() / (1024.0 * 1024.0), 1),
        };
        Console.WriteLine(JsonSerializer.Serialize(line));
        return 0;
    }

    private sealed class MemoryProbe(long early) : ITrainingObserver
    {
        public double Early { get; private set; }
        public double Last { get; private set; }

        public void OnUpdate(UpdateRecord record)
        {
            if (record.Update == early) Early = Resident();
            Last = Resident();
        }

        public void OnEpochEnd(int epoch, long update, double? validationLoss)
        {
        }

        public void OnCheckpoint(string path)
        {
        }

        private static double Resident()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            foreach (string line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return Math.Round(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0, 1);
            return double.NaN;
        }
    }
}
