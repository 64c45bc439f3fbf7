using Norton.Core.Features;
using System.Diagnostics;
using System.Text.Json;
using Norton.Losses;
using Norton.Models;
using Norton.Training;
using Norton.Training.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Benchmarks;

/// <summary>
/// <c>profile-step</c>: one training step of <see cref="VideoTextModel"/> + <see cref="NortonLoss"/> (paper loss,
/// LayerNorm-only by default) at a given number of clips, with or without activation recomputation, split into data
/// (batch arrays to tensors), towers forward, loss forward + backward (on detached tower outputs) and towers backward
/// (the full backward minus the loss's); prints one JSON line with the medians and the process's peak resident memory.
/// Run one configuration per process: the peak is the process's.
/// </summary>
public static class ProfileStepCommand
{
    /// <summary>Usage line.</summary>
    public const string Usage = "profile-step --clips N [--size full|reduced] [--recompute] [--all-parameters] [--runs R] [--warmup W] [--threads T]";

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var cl = new CommandLine(args, "recompute", "all-parameters");
        long clips = cl.Integer("clips", min: 16);
        string size = cl.Choice("size", "full", "reduced");
        bool recompute = cl.Flag("recompute"), all = cl.Flag("all-parameters");
        long runs = cl.Integer("runs", 2, min: 1), warmup = cl.Integer("warmup", 1);
        int threads = (int)cl.Integer("threads", BenchmarkEnvironment.Threads, min: 1);
        cl.RejectUnknown();
        BenchmarkEnvironment.Initialize(threads, Console.Error);

        var config = StepInputs.Model(size);
        var data = StepInputs.Data(clips, config);
        manual_seed(1);
        using var model = new VideoTextModel(config);
        if (!all) model.UseLayerNormOnly();
        model.UseActivationRecomputation(recompute);
        model.train();
        using var loss = new NortonLoss();
        var ids = data.PlanEpoch(1, false, model, new SplitMix64(1))[0];
        var times = new Dictionary<string, List<double>> { ["data"] = [], ["towers_forward"] = [], ["loss_forward_backward"] = [], ["backward"] = [], ["step"] = [] };
        for (long r = 0; r < warmup + runs; r++)
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            var batch = data.LoadBatch(ids, new SplitMix64((ulong)r));
            var caps = tensor(batch.Caps, [batch.Rows, batch.TextLength]);
            var cmasks = tensor(batch.CapsMask, [batch.Rows, batch.TextLength]);
            var vfeats = tensor(batch.VideoFeatures, [batch.Rows, batch.VideoLength, batch.FeatureDim]);
            var vmasks = tensor(batch.VideoMask, [batch.Rows, batch.VideoLength]);
            double tData = clock.Elapsed.TotalSeconds;
            model.zero_grad();
            using var output = model.forward(caps, cmasks, vfeats, vmasks);
            double tForward = clock.Elapsed.TotalSeconds;
            // The loss alone, on detached copies: its share of the backward.
            var (video, text) = output.ToLossInputs();
            var dv = new VideoFeatures(output.Video.Pooled.detach().requires_grad_(), output.Video.Frames!.detach().requires_grad_(), output.Video.Mask);
            var dt = new TextFeatures(output.Text.Pooled.detach().requires_grad_(), output.Text.Words!.detach().requires_grad_(), output.Text.Mask);
            var lossClock = Stopwatch.StartNew();
            using (var detached = loss.forward(dv, dt)) detached.Loss.backward();
            double tLoss = lossClock.Elapsed.TotalSeconds;
            clock.Stop();
            var full = Stopwatch.StartNew();
            using (var result = loss.forward(video, text)) result.Loss.backward();
            double tBackward = full.Elapsed.TotalSeconds;
            if (r < warmup) continue;
            times["data"].Add(tData);
            times["towers_forward"].Add(tForward - tData);
            times["loss_forward_backward"].Add(tLoss);
            times["backward"].Add(tBackward);
            times["step"].Add(tForward + tBackward);
        }
        double Median(string key) => Timing.Median(times[key]);
        double step = Median("step");
        var line = new Dictionary<string, object?>
        {
            ["command"] = "profile-step", ["clips"] = clips, ["size"] = size, ["recompute"] = recompute,
            ["layernorm_only"] = !all, ["runs"] = runs, ["warmup"] = warmup, ["threads"] = threads,
            ["step_s"] = Math.Round(step, 3),
            ["steps_per_second"] = Math.Round(1 / step, 4),
            ["data_s"] = Math.Round(Median("data"), 3),
            ["towers_forward_s"] = Math.Round(Median("towers_forward"), 3),
            ["loss_forward_backward_s"] = Math.Round(Median("loss_forward_backward"), 3),
            ["towers_backward_s"] = Math.Round(Median("backward") - Median("loss_forward_backward"), 3),
            ["loss_and_data_share"] = Math.Round((Median("loss_forward_backward") + Median("data")) / step, 3),
            ["peak_working_set_mib"] = Math.Round(ProcessMemory.PeakBytes() / (1024.0 * 1024.0), 1),
        };
        Console.WriteLine(JsonSerializer.Serialize(line));
        return 0;
    }
}
