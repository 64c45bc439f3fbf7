using System.Diagnostics;
using System.Text.Json;
using Norton.Models;
using Norton.Models.VideoClip;
using Norton.Training.Distributed;
using TorchSharp;

namespace Norton.Benchmarks;

/// <summary>
/// <c>profile-allreduce</c>: times the sum all-reduce of a float32 buffer across the ranks of an MPI job (run it
/// under <c>mpirun -np P</c>) and prints one JSON line from rank 0: the median over runs of the slowest rank's time,
/// the algorithm bandwidth (bytes / time) and the bus bandwidth (algorithm bandwidth · 2(P−1)/P, the traffic a ring
/// all-reduce puts on each link; comparable across P). <c>--model full|layernorm</c> takes N from the full-size
/// VideoTextModel built on the meta device: every parameter, or the layernorm-only ones (docs/scaling.md).
/// </summary>
public static class ProfileAllReduceCommand
{
    /// <summary>Usage line.</summary>
    public const string Usage = "profile-allreduce (--floats N | --model full|layernorm) [--runs R] [--warmup W]   (under mpirun -np P)";

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var cl = new CommandLine(args);
        bool byModel = args.Contains("--model");
        string model = byModel ? cl.Choice("model", "full", "layernorm") : "";
        long floats = byModel ? ModelFloats(model) : cl.Integer("floats", min: 1);
        long runs = cl.Integer("runs", 20, min: 1);
        long warmup = cl.Integer("warmup", 3);
        cl.RejectUnknown();
        if (floats > int.MaxValue)
            throw new ArgumentException($"--floats must be at most {int.MaxValue} (one managed array), got {floats}");

        using var world = DistributedWorld.Join();
        DistributedWorld.AbortOnUnhandledException(world);
        var buffer = new float[floats];
        for (long i = 0; i < floats; i++) buffer[i] = (i % 7) * 0.25f;
        for (long k = 0; k < warmup; k++) world.AllReduceSum(buffer);
        double[] local = Measure(world, buffer, runs);
        double[] all = world.AllGather<double>(local); // rank r's runs at [r·runs, (r+1)·runs)
        var perRun = Enumerable.Range(0, (int)runs).Select(k => Enumerable.Range(0, world.Size).Max(r => all[r * runs + k])).ToArray();
        double median = Timing.Median(perRun);
        double bytes = floats * (double)sizeof(float);
        double algorithm = bytes / (median / 1000) / 1e9;
        var line = new Dictionary<string, object?>
        {
            ["command"] = "profile-allreduce",
            ["ranks"] = world.Size, ["floats"] = floats, ["bytes"] = (long)bytes, ["model"] = byModel ? model : null,
            ["runs"] = runs, ["warmup"] = warmup,
            ["median_ms"] = Timing.Ms(median), ["min_ms"] = Timing.Ms(perRun.Min()), ["max_ms"] = Timing.Ms(perRun.Max()),
            ["algorithm_gb_per_s"] = Math.Round(algorithm, 3),
            ["bus_gb_per_s"] = Math.Round(algorithm * 2 * (world.Size - 1) / world.Size, 3),
            ["mpi"] = world is MpiCommunicator m ? $"{m.Flavor} ({m.LibraryPath})" : "none (world of one)",
        };
        world.OnRoot(() => Console.WriteLine(JsonSerializer.Serialize(line)));
        return 0;
    }

    private static double[] Measure(ICommunicator world, float[] buffer, long runs)
    {
        var times = new double[runs];
        for (long k = 0; k < runs; k++)
        {
            world.Barrier();
            long start = Stopwatch.GetTimestamp();
            world.AllReduceSum(buffer);
            times[k] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return times;
    }

    private static long ModelFloats(string which)
    {
        BenchmarkEnvironment.Initialize(1, Console.Error);
        using var model = new VideoTextModel(VideoClipConfig.Full(), torch.META);
        return which == "full" ? model.parameters().Sum(p => p.numel()) : model.UseLayerNormOnly();
    }
}
