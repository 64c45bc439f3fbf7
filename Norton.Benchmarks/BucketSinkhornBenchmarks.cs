using BenchmarkDotNet.Attributes;
using Norton.Core.OptimalTransport;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Benchmarks;

/// <summary>
/// Norton's video-paragraph OT at training scale: 16384 bucket problems of 8 x 8 (9 x 9 with the bucket), epsilon 0.1,
/// 50 sweeps, float32, through <see cref="Sinkhorn.Solve"/> (problem construction included, as the loss does it).
/// </summary>
[MemoryDiagnoser]
public class BucketSinkhornBenchmarks
{
    private Tensor _scores = null!;
    private PromptBucket _bucket = null!;
    private readonly SinkhornOptions _options = new() { Epsilon = 0.1, MaxIterations = 50 };

    /// <summary>Devices: cpu, and cuda where available (there the fused kernel does not apply: both paths are torch ops).</summary>
    [ParamsSource(nameof(Devices))]
    public string Device { get; set; } = "cpu";

    /// <summary>Solve's own choice (the fused kernel on the CPU) or the log-domain torch ops.</summary>
    [Params(SinkhornBackend.Auto, SinkhornBackend.LogDomain)]
    public SinkhornBackend Backend { get; set; }

    /// <summary>Problems in the batch.</summary>
    [Params(16384)]
    public int Batch { get; set; }

    /// <summary>The devices to measure on.</summary>
    public static IEnumerable<string> Devices() => BenchmarkEnvironment.Devices();

    /// <summary>Builds the inputs once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        BenchmarkEnvironment.Initialize();
        (_scores, _bucket) = SinkhornInputs.BucketProblems(Batch, 8, 8, ScalarType.Float32, torch.device(Device), seed: 1);
    }

    /// <summary>One batched solve; returns a value so the call is not optimised away.</summary>
    [Benchmark]
    public int Solve()
    {
        using var result = Sinkhorn.Solve(new TransportProblem(_scores, bucket: _bucket), _options with { Backend = Backend });
        BenchmarkEnvironment.Synchronize(_scores.device);
        return result.Iterations;
    }

    /// <summary>Frees the inputs.</summary>
    [GlobalCleanup]
    public void Cleanup() => _scores.Dispose();
}
