using System.Text.Json;
using Norton.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Benchmarks;

/// <summary>
/// <c>profile-loss</c>: times <see cref="NortonLoss"/> (paper settings) forward and forward + backward on
/// <see cref="LossInputs"/> and prints one JSON line with the medians, the process's peak resident memory and the
/// arguments.
/// </summary>
public static class ProfileLossCommand
{
    /// <summary>Usage line.</summary>
    public const string Usage =
        "profile-loss --clips N --dim D --words T --frames V --runs R [--threads T] [--dtype float32|float64] " +
        "[--device cpu|cuda] [--warmup W] [--seed S] [--check-values true|false] [--fine-layout auto|packed|dense]";

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var cl = new CommandLine(args);
        long clips = cl.Integer("clips", min: 1), dim = cl.Integer("dim", min: 1);
        long words = cl.Integer("words", min: 2), frames = cl.Integer("frames", min: 2);
        long runs = cl.Integer("runs", min: 1);
        int threads = (int)cl.Integer("threads", BenchmarkEnvironment.Threads, min: 1);
        string dtypeName = cl.Choice("dtype", "float32", "float64");
        string deviceName = cl.Choice("device", "cpu", "cuda");
        long warmup = cl.Integer("warmup", 1);
        long seed = cl.Integer("seed", 1);
        bool checkValues = cl.Choice("check-values", "true", "false") == "true";
        // The fine-grained layout of masked batches: Auto = packed on the CPU, dense on a device with checks off;
        // forcing dense on the CPU measures what a device runs (docs/performance.md, "Host reads of the loss").
        string layoutName = cl.Choice("fine-layout", "auto", "packed", "dense");
        cl.RejectUnknown();

        BenchmarkEnvironment.Initialize(threads, Console.Error);
        if (deviceName == "cuda" && !torch.cuda.is_available())
            throw new ArgumentException("--device cuda: CUDA is not available in this process (CPU backend or no device)");
        var device = torch.device(deviceName);
        using var loss = new NortonLoss(NortonLossOptions.Paper with { CheckValues = checkValues });
        loss.VideoParagraph!.FineGrained.Layout = layoutName switch
        {
            "packed" => FineGrainedLayout.Packed,
            "dense" => FineGrainedLayout.Dense,
            _ => FineGrainedLayout.Auto,
        };
        using var inputs = LossInputs.Create(clips, dim, words, frames,
            dtypeName == "float64" ? ScalarType.Float64 : ScalarType.Float32, device, seed);

        double value = double.NaN;
        var forward = Timing.Measure(() =>
        {
            using var output = loss.forward(inputs.Video, inputs.Text);
            BenchmarkEnvironment.Synchronize(device);
            // Disposed at once: an undisposed copy of the loss keeps the whole forward graph (its saved tensors) alive
            // until the garbage collector runs, which inflated the measured peak.
            using var lossValue = output.Loss.detach().to(ScalarType.Float64);
            value = lossValue.item<double>();
        }, runs, warmup);
        var forwardBackward = Timing.Measure(() =>
        {
            using var output = loss.forward(inputs.Video, inputs.Text);
            output.Loss.backward();
            BenchmarkEnvironment.Synchronize(device);
            inputs.ClearGradients();
        }, runs, warmup);

        var line = new Dictionary<string, object?>
        {
            ["command"] = "profile-loss",
            ["clips"] = clips, ["dim"] = dim, ["words"] = words, ["frames"] = frames, ["runs"] = runs, ["warmup"] = warmup,
            ["threads"] = threads, ["dtype"] = dtypeName, ["device"] = deviceName, ["seed"] = seed,
            ["check_values"] = checkValues, ["fine_layout"] = layoutName,
            ["forward_ms"] = Timing.Ms(Timing.Median(forward)),
            ["forward_backward_ms"] = Timing.Ms(Timing.Median(forwardBackward)),
            ["peak_working_set_mib"] = Math.Round(ProcessMemory.PeakBytes() / (1024.0 * 1024.0), 1),
            ["loss"] = value,
            ["valid_word_fraction"] = Math.Round(inputs.WordMask.to(ScalarType.Float64).mean().item<double>(), 4),
            ["valid_frame_fraction"] = Math.Round(inputs.FrameMask.to(ScalarType.Float64).mean().item<double>(), 4),
        };
        Console.WriteLine(JsonSerializer.Serialize(line));
        return 0;
    }
}
