using System.Diagnostics;
using System.Text.Json;
using Norton.Training.Batching;
using Norton.Training.Corpus;
using Norton.Training.Retrieval;
using Norton.Training.Sampling;

namespace Norton.Benchmarks;

/// <summary>
/// <c>profile-sampler</c>: writes a synthetic corpus of <c>--videos</c> videos (512-d float16 features, the original's
/// layout) under the temp folder, then times <see cref="BatchFeeder"/> on random batches of 64 videos x 16 clips:
/// the median time to build one batch on one thread, and the feeder's throughput (samples per second, with
/// <c>--workers</c> threads) while a consumer takes every batch. Prints one JSON line. The corpus is deleted afterwards unless <c>--keep 1</c>.
/// </summary>
public static class ProfileSamplerCommand
{
    /// <summary>Usage line.</summary>
    public const string Usage = "profile-sampler --videos N [--batches B] [--videos-per-batch 64] [--prefetch 3] [--workers W] [--seed S] [--keep 0|1]";

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var cl = new CommandLine(args);
        int videos = (int)cl.Integer("videos", min: 64);
        int batches = (int)cl.Integer("batches", 20, min: 1);
        int perBatch = (int)cl.Integer("videos-per-batch", 64, min: 1);
        int prefetch = (int)cl.Integer("prefetch", 3, min: 1);
        int workers = (int)cl.Integer("workers", 1, min: 1);
        long seed = cl.Integer("seed", 1);
        bool keep = cl.Integer("keep", 0) != 0;
        cl.RejectUnknown();
        BenchmarkEnvironment.Initialize(1, Console.Error);

        string folder = Path.Combine(Path.GetTempPath(), $"norton-profile-sampler-{videos}-{seed}");
        var write = Stopwatch.StartNew();
        bool reused = File.Exists(CorpusLayout.MetaPath(folder, "train"));
        if (!reused)
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            SyntheticCorpus.Write(folder, videos, (ulong)seed);
        }
        double writeSeconds = write.Elapsed.TotalSeconds;
        long bytes = Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length);
        try
        {
            using var corpus = PretrainingCorpus.Open(folder);
            var random = new SplitMix64((ulong)seed);
            var plan = Enumerable.Range(0, batches).SelectMany(_ => RetrievalBatchPlanner.RandomBatches(corpus.VideoIds, random, perBatch)).Take(batches).ToArray();

            // One batch at a time on this thread: the cost of one batch.
            var sampler = new OverlappedClipSampler();
            var build = Timing.Measure(() => BatchFeeder.Build(corpus, plan[0], sampler, random), Math.Min(batches, 10), 1);

            // The feeder as the trainer uses it: a consumer taking every batch.
            var clock = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            long rows = 0;
            // One worker: the shared-source feeder; several: a resumable feeder (per-batch seeds) with that many threads.
            using (var feeder = workers == 1
                       ? new BatchFeeder(corpus, plan, random, prefetch: prefetch)
                       : BatchFeeder.Resumable(corpus, plan, (ulong)seed, prefetch: Math.Max(prefetch, workers), workers: workers))
                while (feeder.TryTake(out var batch)) rows += batch.Rows;
            double feederSeconds = clock.Elapsed.TotalSeconds;
            double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;

            var line = new Dictionary<string, object?>
            {
                ["command"] = "profile-sampler",
                ["videos"] = videos, ["batches"] = batches, ["videos_per_batch"] = perBatch, ["clips_per_video"] = 16,
                ["prefetch"] = prefetch, ["workers"] = workers, ["seed"] = seed,
                ["corpus_write_s"] = reused ? null : Math.Round(writeSeconds, 1), ["corpus_mib"] = Math.Round(bytes / (1024.0 * 1024.0), 1),
                ["build_batch_ms"] = Timing.Ms(Timing.Median(build)),
                ["feeder_batch_ms"] = Timing.Ms(feederSeconds * 1000 / batches),
                ["feeder_cpu_ms_per_batch"] = Timing.Ms(cpuSeconds * 1000 / batches),
                ["samples_per_s"] = Math.Round(rows / feederSeconds),
                ["load_average"] = LoadAverage(),
                ["peak_working_set_mib"] = Math.Round(ProcessMemory.PeakBytes() / (1024.0 * 1024.0), 1),
            };
            Console.WriteLine(JsonSerializer.Serialize(line));
        }
        finally
        {
            if (!keep) Directory.Delete(folder, recursive: true);
        }
        return 0;
    }

    /// <summary>The 1-minute load average (Linux), so a figure taken on a busy machine says so.</summary>
    internal static double? LoadAverage()
    {
        const string file = "/proc/loadavg";
        return File.Exists(file) && double.TryParse(File.ReadAllText(file).Split(' ')[0], System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out double load) ? load : null;
    }
}
