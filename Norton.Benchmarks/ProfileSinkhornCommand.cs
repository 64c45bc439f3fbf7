using System.Text.Json;
using Norton.Core.OptimalTransport;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Benchmarks;

/// <summary>
/// <c>profile-sinkhorn</c>: times <see cref="Sinkhorn.Solve"/> on a batch of random problems and prints one JSON line
/// with the median and the arguments. With <c>--bucket</c> the scores and p are uniform in [0, 1] (Norton's
/// video-paragraph problems, default epsilon 0.1), without it N(0, 3^2) logits (the clip-caption problem, default
/// epsilon 1). <c>--batch 0</c> solves one unbatched problem.
/// </summary>
public static class ProfileSinkhornCommand
{
    /// <summary>Usage line.</summary>
    public const string Usage =
        "profile-sinkhorn --batch B --rows n --cols m [--bucket] --iterations K --runs R [--threads T] [--epsilon E] " +
        "[--dtype float32|float64] [--backend auto|log-domain|scaling|fused-cpu] [--path fused|torch] [--device cpu|cuda] " +
        "[--warmup W] [--seed S]";

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var cl = new CommandLine(args, "bucket");
        long batch = cl.Integer("batch", min: 0), rows = cl.Integer("rows", min: 1), cols = cl.Integer("cols", min: 1);
        bool bucket = cl.Flag("bucket");
        int iterations = (int)cl.Integer("iterations", min: 0);
        long runs = cl.Integer("runs", min: 1);
        int threads = (int)cl.Integer("threads", BenchmarkEnvironment.Threads, min: 1);
        double epsilon = cl.Number("epsilon", bucket ? 0.1 : 1.0);
        string dtypeName = cl.Choice("dtype", "float32", "float64");
        string backendName = cl.Choice("backend", "auto", "log-domain", "scaling", "fused-cpu");
        // --path (older name): fused = Solve's own choice, torch = the log-domain torch ops.
        string path = cl.Choice("path", "fused", "torch");
        string deviceName = cl.Choice("device", "cpu", "cuda");
        long warmup = cl.Integer("warmup", 2);
        long seed = cl.Integer("seed", 1);
        cl.RejectUnknown();

        BenchmarkEnvironment.Initialize(threads, Console.Error);
        if (deviceName == "cuda" && !torch.cuda.is_available())
            throw new ArgumentException("--device cuda: CUDA is not available in this process (CPU backend or no device)");
        var dtype = dtypeName == "float64" ? ScalarType.Float64 : ScalarType.Float32;
        var device = torch.device(deviceName);
        var backend = backendName switch
        {
            "log-domain" => SinkhornBackend.LogDomain,
            "scaling" => SinkhornBackend.Scaling,
            "fused-cpu" => SinkhornBackend.FusedCpu,
            _ => path == "torch" ? SinkhornBackend.LogDomain : SinkhornBackend.Auto,
        };
        var options = new SinkhornOptions { Epsilon = epsilon, MaxIterations = iterations, Backend = backend };

        Tensor scores;
        PromptBucket? prompt = null;
        if (bucket) (scores, prompt) = SinkhornInputs.BucketProblems(batch, rows, cols, dtype, device, seed);
        else scores = SinkhornInputs.ClipLogits(batch, rows, cols, dtype, device, seed);

        SinkhornBackend? ran = null;
        var times = Timing.Measure(() =>
        {
            using var result = Sinkhorn.Solve(new TransportProblem(scores, bucket: prompt), options);
            BenchmarkEnvironment.Synchronize(device);
            ran = result.Backend;
        }, runs, warmup);

        var line = new Dictionary<string, object?>
        {
            ["command"] = "profile-sinkhorn",
            ["batch"] = batch, ["rows"] = rows, ["cols"] = cols, ["bucket"] = bucket, ["iterations"] = iterations,
            ["runs"] = runs, ["warmup"] = warmup, ["threads"] = threads, ["epsilon"] = epsilon, ["dtype"] = dtypeName,
            ["backend"] = backend.ToString(), ["device"] = deviceName, ["seed"] = seed,
            ["median_ms"] = Timing.Ms(Timing.Median(times)), ["min_ms"] = Timing.Ms(times.Min()), ["max_ms"] = Timing.Ms(times.Max()),
            // What actually ran (SinkhornResult.Backend).
            ["backend_ran"] = ran?.ToString(),
        };
        Console.WriteLine(JsonSerializer.Serialize(line));
        scores.Dispose();
        return 0;
    }
}
