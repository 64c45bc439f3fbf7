using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Norton.Models.Data;
using Norton.Training.Corpus;
using Norton.Training.Retrieval;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Benchmarks;

/// <summary>
/// <c>profile-retrieval</c>: times the retrieval step of one epoch with <see cref="IvfFlatIndex"/> (k-means on the
/// first centroids x 48 vectors, every vector assigned, n / 64 searches of 192 with nprobe 1) on clustered random
/// vectors, and, unless <c>--faiss 0</c>, the same step with faiss (Norton.Benchmarks/python/faiss_ivf_retrieval.py,
/// Debian's python3-faiss) on the same vectors in the same run. Prints one JSON line with both medians, their ratio,
/// both k-means objectives and the peak memory.
/// </summary>
public static class ProfileRetrievalCommand
{
    private static readonly Scalar Spread = 0.7.ToScalar();

    /// <summary>Usage line.</summary>
    public const string Usage =
        "profile-retrieval --vectors N --dim D --centroids C [--examples-per-centroid 48] [--candidates 192] [--videos-per-batch 64] " +
        "[--runs 3] [--threads T] [--device cpu|cuda] [--seed S] [--faiss 1|0]   (python: $NORTON_PYTHON or /usr/bin/python3)";

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var cl = new CommandLine(args);
        long n = cl.Integer("vectors", min: 2);
        long dim = cl.Integer("dim", min: 1);
        int centroids = (int)cl.Integer("centroids", min: 1);
        int perCentroid = (int)cl.Integer("examples-per-centroid", 48, min: 1);
        int k = (int)cl.Integer("candidates", 192, min: 1);
        int perBatch = (int)cl.Integer("videos-per-batch", 64, min: 1);
        long runs = cl.Integer("runs", 3, min: 1);
        int threads = (int)cl.Integer("threads", BenchmarkEnvironment.Threads, min: 1);
        string deviceName = cl.Choice("device", "cpu", "cuda");
        long seed = cl.Integer("seed", 1);
        bool faiss = cl.Integer("faiss", 1) != 0;
        cl.RejectUnknown();
        BenchmarkEnvironment.Initialize(threads, Console.Error);
        if (deviceName == "cuda" && !cuda.is_available())
            throw new ArgumentException("--device cuda: CUDA is not available in this process (CPU backend or no device)");
        var device = torch.device(deviceName);
        long trainCount = Math.Min(n, (long)centroids * perCentroid);
        int queryCount = (int)(n / perBatch);
        if (trainCount < centroids) throw new ArgumentException($"--vectors {n} is fewer than --centroids {centroids}");

        using var scope = NewDisposeScope();
        var vectors = Vectors(n, dim, seed);
        string npy = Path.Combine(Path.GetTempPath(), $"norton-profile-retrieval-{n}x{dim}-{seed}.npy");
        Dictionary<string, JsonElement>? reference = null;
        try
        {
            if (faiss)
            {
                WriteNpy(npy, vectors);
                reference = RunFaiss(npy, centroids, trainCount, queryCount, k, runs, threads, seed);
            }
            vectors = vectors.to(device);
            var queries = tensor(Sample(n, queryCount, new Norton.Training.Sampling.SplitMix64((ulong)seed)), device: device);
            var parts = new List<(double Train, double Add, double Search)>();
            double objective = double.NaN;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var totals = Timing.Measure(() =>
            {
                using var inner = NewDisposeScope();
                long t0 = Stopwatch.GetTimestamp();
                using var index = IvfFlatIndex.Train(vectors.narrow(0, 0, trainCount), centroids);
                BenchmarkEnvironment.Synchronize(device);
                long t1 = Stopwatch.GetTimestamp();
                index.Add(vectors);
                long t2 = Stopwatch.GetTimestamp();
                var found = index.Search(vectors.index_select(0, queries), k);
                long t3 = Stopwatch.GetTimestamp();
                parts.Add((Stopwatch.GetElapsedTime(t0, t1).TotalSeconds, Stopwatch.GetElapsedTime(t1, t2).TotalSeconds, Stopwatch.GetElapsedTime(t2, t3).TotalSeconds));
                objective = KMeans.Objective(vectors.narrow(0, 0, trainCount), index.Centroids);
                GC.KeepAlive(found);
            }, runs, 0);
            double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / runs;
            int median = Enumerable.Range(0, totals.Length).OrderBy(i => totals[i]).ElementAt(totals.Length / 2);
            double ours = totals[median] / 1000;
            var line = new Dictionary<string, object?>
            {
                ["command"] = "profile-retrieval",
                ["vectors"] = n, ["dim"] = dim, ["centroids"] = centroids, ["train_vectors"] = trainCount, ["queries"] = queryCount,
                ["candidates"] = k, ["runs"] = runs, ["threads"] = threads, ["device"] = deviceName, ["seed"] = seed,
                ["median_s"] = Math.Round(ours, 3),
                ["train_s"] = Math.Round(parts[median].Train, 3), ["add_s"] = Math.Round(parts[median].Add, 3), ["search_s"] = Math.Round(parts[median].Search, 3),
                ["cpu_s_per_run"] = Math.Round(cpuSeconds, 3),
                ["kmeans_objective"] = objective,
                ["load_average"] = ProfileSamplerCommand.LoadAverage(),
                ["peak_working_set_mib"] = Math.Round(ProcessMemory.PeakBytes() / (1024.0 * 1024.0), 1),
                ["faiss"] = reference,
                ["ratio_to_faiss"] = reference is null ? null : Math.Round(ours / reference["median_s"].GetDouble(), 2),
                ["cpu_ratio_to_faiss"] = reference is null ? null : Math.Round(cpuSeconds / reference["cpu_s_per_run"].GetDouble(), 2),
                ["objective_ratio_to_faiss"] = reference is null ? null : Math.Round(objective / reference["kmeans_objective"].GetDouble(), 4),
            };
            Console.WriteLine(JsonSerializer.Serialize(line));
        }
        finally
        {
            File.Delete(npy);
        }
        return 0;
    }

    /// <summary>Clustered vectors like video embeddings: n / 50 centres, spread 0.7 around them (float32, CPU).</summary>
    private static Tensor Vectors(long n, long dim, long seed)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator((ulong)seed);
        var centres = randn(Math.Max(1, n / 50), dim, generator: gen);
        var labels = randint(0, centres.shape[0], n, generator: gen);
        return centres.index_select(0, labels).add_(randn(n, dim, generator: gen).mul_(Spread), Norton.Core.Scalars.One).MoveToOuterDisposeScope();
    }

    private static long[] Sample(long n, int count, Norton.Training.Sampling.IRandomSource random)
    {
        var swaps = new Dictionary<long, long>();
        var result = new long[count];
        for (int i = 0; i < count; i++)
        {
            long j = random.RandInt(i, n - 1);
            result[i] = swaps.TryGetValue(j, out long a) ? a : j;
            swaps[j] = swaps.TryGetValue(i, out long b) ? b : i;
        }
        return result;
    }

    private static void WriteNpy(string path, Tensor vectors)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        NpyWriter.WriteHeader(stream, NpyElementType.Float32, vectors.shape);
        stream.Write(vectors.contiguous().bytes);
    }

    private static Dictionary<string, JsonElement> RunFaiss(string npy, int centroids, long train, int queries, int k, long runs, int threads, long seed)
    {
        string script = FindScript();
        string python = Environment.GetEnvironmentVariable("NORTON_PYTHON") ?? "/usr/bin/python3";
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { script, "--vectors", npy, "--centroids", Str(centroids), "--train", Str(train), "--queries", Str(queries),
                     "--k", Str(k), "--runs", Str(runs), "--threads", Str(threads), "--seed", Str(seed) })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {python}");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{python} {script} failed with exit code {process.ExitCode} (is python3-faiss installed? --faiss 0 skips it)");
        string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(last)!;
    }

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string FindScript()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            string candidate = Path.Combine(dir, "Norton.Benchmarks", "python", "faiss_ivf_retrieval.py");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("Norton.Benchmarks/python/faiss_ivf_retrieval.py not found above " + AppContext.BaseDirectory);
    }
}
