using System.Diagnostics;
using System.Text.Json;
using Norton.Models;
using Norton.Models.Checkpoints;
using Norton.Models.Serialization;
using Norton.Models.VideoClip;

namespace Norton.Benchmarks;

/// <summary>
/// <c>read-checkpoint</c>: times reading a torch.save checkpoint (every zip record CRC-checked) and, with
/// <c>--model videoclip</c>, loading it into <c>VideoTextModel(VideoClipConfig.Full())</c>; prints one JSON line with the
/// medians, the throughput, the file size and the process's peak resident memory.
/// </summary>
public static class ReadCheckpointCommand
{
    /// <summary>Usage line.</summary>
    public const string Usage = "read-checkpoint --path FILE [--runs R] [--warmup W] [--model none|videoclip]";

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var cl = new CommandLine(args);
        string path = cl.Text("path");
        long runs = cl.Integer("runs", 3, min: 1);
        long warmup = cl.Integer("warmup", 1);
        string model = cl.Choice("model", "none", "videoclip");
        cl.RejectUnknown();
        if (!File.Exists(path)) throw new ArgumentException($"--path: no such file '{path}'");
        BenchmarkEnvironment.Initialize(BenchmarkEnvironment.Threads, Console.Error);

        long tensors = 0, bytes = 0;
        string format = "";
        var read = Timing.Measure(() =>
        {
            using var checkpoint = TorchCheckpointFile.Load(path);
            var stateDict = checkpoint.StateDict();
            tensors = stateDict.Count;
            bytes = stateDict.Values.Sum(t => t.numel() * t.ElementSize);
            format = checkpoint.Format.ToString();
        }, runs, warmup);
        double? loadMs = null, stateDictMs = null;
        if (model == "videoclip")
        {
            var sd = Timing.Measure(() =>
            {
                foreach (var t in CheckpointReader.ReadStateDict(path).Values) t.Dispose();
            }, runs, warmup);
            stateDictMs = Timing.Ms(Timing.Median(sd));
            using var target = new VideoTextModel(VideoClipConfig.Full());
            var load = Timing.Measure(() => CheckpointLoader.Load(target, path), runs, warmup);
            loadMs = Timing.Ms(Timing.Median(load));
        }
        double fileMib = new FileInfo(path).Length / (1024.0 * 1024.0);
        double readMs = Timing.Ms(Timing.Median(read));
        var line = new Dictionary<string, object?>
        {
            ["command"] = "read-checkpoint", ["path"] = Path.GetFileName(path), ["format"] = format, ["runs"] = runs, ["warmup"] = warmup,
            ["file_mib"] = Math.Round(fileMib, 1), ["tensors"] = tensors, ["state_dict_mib"] = Math.Round(bytes / (1024.0 * 1024.0), 1),
            ["read_ms"] = readMs, ["read_mib_per_s"] = Math.Round(fileMib / (readMs / 1000.0), 1),
            ["read_state_dict_ms"] = stateDictMs, ["load_into_videoclip_ms"] = loadMs,
            ["peak_working_set_mib"] = Math.Round(ProcessMemory.PeakBytes() / (1024.0 * 1024.0), 1),
        };
        Console.WriteLine(JsonSerializer.Serialize(line));
        return 0;
    }
}
