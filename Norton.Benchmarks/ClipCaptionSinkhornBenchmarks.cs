using BenchmarkDotNet.Attributes;
using Norton.Core.OptimalTransport;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Benchmarks;

/// <summary>
/// Norton's clip-caption OT: one 1024 x 1024 problem of raw logits (N(0, 3^2)), SuperGlue marginals, epsilon 1,
/// 50 sweeps, float32 (too large for the fused kernel: torch ops on every device).
/// </summary>
[MemoryDiagnoser]
public class ClipCaptionSinkhornBenchmarks
{
    private Tensor _logits = null!;
    private readonly SinkhornOptions _options = new() { Epsilon = 1.0, MaxIterations = 50 };

    /// <summary>Devices: cpu, and cuda where available.</summary>
    [ParamsSource(nameof(Devices))]
    public string Device { get; set; } = "cpu";

    /// <summary>Clips in the batch (the problem is N x N).</summary>
    [Params(1024)]
    public int Clips { get; set; }

    /// <summary>The devices to measure on.</summary>
    public static IEnumerable<string> Devices() => BenchmarkEnvironment.Devices();

    /// <summary>Builds the inputs once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        BenchmarkEnvironment.Initialize();
        _logits = SinkhornInputs.ClipLogits(0, Clips, Clips, ScalarType.Float32, torch.device(Device), seed: 2);
    }

    /// <summary>One solve; returns a value so the call is not optimised away.</summary>
    [Benchmark]
    public int Solve()
    {
        using var result = Sinkhorn.Solve(new TransportProblem(_logits), _options);
        BenchmarkEnvironment.Synchronize(_logits.device);
        return result.Iterations;
    }

    /// <summary>Frees the inputs.</summary>
    [GlobalCleanup]
    public void Cleanup() => _logits.Dispose();
}
