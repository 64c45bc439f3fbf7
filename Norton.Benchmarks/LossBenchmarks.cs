using BenchmarkDotNet.Attributes;
using Norton.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Benchmarks;

/// <summary>
/// The whole Norton loss (paper settings) on a training-sized batch: N clips, D = 768, 32 word slots, 16 frame slots,
/// float32, masks in the real model's layout; forward alone and forward + backward.
/// </summary>
[MemoryDiagnoser]
public class LossBenchmarks
{
    private LossInputs _inputs = null!;
    private NortonLoss _loss = null!;

    /// <summary>Devices: cpu, and cuda where available.</summary>
    [ParamsSource(nameof(Devices))]
    public string Device { get; set; } = "cpu";

    /// <summary>N, clips in the batch (a multiple of the paper's length 8).</summary>
    [Params(256, 512, 1024)]
    public int Clips { get; set; }

    /// <summary>The devices to measure on.</summary>
    public static IEnumerable<string> Devices() => BenchmarkEnvironment.Devices();

    /// <summary>Builds the loss and the inputs once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        BenchmarkEnvironment.Initialize();
        _loss = new NortonLoss();
        _inputs = LossInputs.Create(Clips, dim: 768, words: 32, frames: 16, ScalarType.Float32, torch.device(Device), seed: 3);
    }

    /// <summary>Forward (autograd graph built, then dropped).</summary>
    [Benchmark]
    public double Forward()
    {
        using var output = _loss.forward(_inputs.Video, _inputs.Text);
        BenchmarkEnvironment.Synchronize(output.Loss.device);
        return output.Loss.item<float>();
    }

    /// <summary>Forward and backward to the four feature tensors.</summary>
    [Benchmark]
    public double ForwardBackward()
    {
        using var output = _loss.forward(_inputs.Video, _inputs.Text);
        output.Loss.backward();
        BenchmarkEnvironment.Synchronize(output.Loss.device);
        _inputs.ClearGradients();
        return output.Loss.item<float>();
    }

    /// <summary>Frees the inputs and the loss.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _inputs.Dispose();
        _loss.Dispose();
    }
}
