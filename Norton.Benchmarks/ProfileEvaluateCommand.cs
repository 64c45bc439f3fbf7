using System.Globalization;
using System.Text;
using System.Text.Json;
using Norton.Evaluation.Encoders;
using Norton.Evaluation.Runners;
using Norton.Models;
using Norton.Models.VideoClip;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Benchmarks;

/// <summary>
/// <c>profile-evaluate</c>: the <c>test_vtt_zs</c> runner end to end (CSV and .npy reading, caption tokenising, the
/// full-size model's forward in eval mode without gradients, the retrieval metric) on a synthetic MSR-VTT-format
/// dataset written to a temporary folder, with a random full-size model. Prints one JSON line: seconds per run,
/// pairs per second, the process's peak resident memory.
/// </summary>
public static class ProfileEvaluateCommand
{
    /// <summary>Usage line.</summary>
    public const string Usage = "profile-evaluate --pairs N --runs R [--seconds T] [--batch B] [--threads T] [--device cpu|cuda] [--warmup W] [--seed S]";

    private static readonly string[] Words =
        "add the onion to a pan and stir until golden then pour water over rice cut pepper into small pieces serve with cheese".Split(' ');

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var cl = new CommandLine(args);
        long pairs = cl.Integer("pairs", min: 1), runs = cl.Integer("runs", min: 1);
        long seconds = cl.Integer("seconds", 40, min: 1), batch = cl.Integer("batch", 256, min: 1);
        int threads = (int)cl.Integer("threads", BenchmarkEnvironment.Threads, min: 1);
        string deviceName = cl.Choice("device", "cpu", "cuda");
        long warmup = cl.Integer("warmup", 1);
        long seed = cl.Integer("seed", 1);
        cl.RejectUnknown();

        BenchmarkEnvironment.Initialize(threads, Console.Error);
        if (deviceName == "cuda" && !torch.cuda.is_available())
            throw new ArgumentException("--device cuda: CUDA is not available in this process (CPU backend or no device)");
        var device = torch.device(deviceName);
        string folder = Path.Combine(Path.GetTempPath(), "norton-profile-evaluate-" + Guid.NewGuid().ToString("N"));
        try
        {
            string config = WriteDataset(folder, pairs, seconds, batch, seed);
            manual_seed(seed);
            using var model = new VideoTextModel(VideoClipConfig.Full(32));
            if (deviceName != "cpu") model.to(device);
            var encoder = new VideoTextModelEncoder(model, device);
            ZeroShotTask task = ZeroShotTasks.Create(config, folder);
            EvaluationResult? result = null;
            var times = Timing.Measure(() => result = task.Run(encoder), runs, warmup);
            double median = Timing.Median(times);
            var line = new Dictionary<string, object?>
            {
                ["command"] = "profile-evaluate", ["config"] = "test_vtt_zs", ["pairs"] = pairs, ["seconds"] = seconds,
                ["batch"] = batch, ["runs"] = runs, ["warmup"] = warmup, ["threads"] = threads, ["device"] = deviceName, ["seed"] = seed,
                ["run_s"] = Math.Round(median / 1000, 3),
                ["pairs_per_s"] = Math.Round(pairs / (median / 1000), 2),
                ["peak_working_set_mib"] = Math.Round(ProcessMemory.PeakBytes() / (1024.0 * 1024.0), 1),
                ["r1"] = result!["R1"],
            };
            Console.WriteLine(JsonSerializer.Serialize(line));
            return 0;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Writes the config, <c>MSRVTT_JSFUSION_test.csv</c> and float16 (T, 512) features; returns the config path.</summary>
    private static string WriteDataset(string folder, long pairs, long seconds, long batch, long seed)
    {
        Directory.CreateDirectory(Path.Combine(folder, "feat"));
        var random = new Random((int)seed);
        var csv = new StringBuilder("key,vid_key,video_id,sentence\n");
        for (long i = 0; i < pairs; i++)
        {
            string words = string.Join(' ', Enumerable.Range(0, 8 + random.Next(12)).Select(_ => Words[random.Next(Words.Length)]));
            csv.Append(CultureInfo.InvariantCulture, $"ret{i},msr{i},video{i},{words}\n");
            using var features = randn(seconds, 512, ScalarType.Float16);
            Npy.WriteFloat16(Path.Combine(folder, "feat", $"video{i}.npy"), features);
        }
        File.WriteAllText(Path.Combine(folder, "MSRVTT_JSFUSION_test.csv"), csv.ToString());
        string config = Path.Combine(folder, "test_vtt_zs.yaml");
        File.WriteAllText(config, $"""
            dataset:
              video_processor: VideoProcessor
              aligner: DSAligner
              meta_processor: MSRVTTMetaProcessor
              test_path: MSRVTT_JSFUSION_test.csv
              vfeat_dir: feat
              text_processor: MSRVTTTextProcessor
              max_video_len: 32
              max_len: 96
            fairseq:
              dataset:
                batch_size: {batch}
            metric: RetrievalMetric
            """);
        return config;
    }

    /// <summary>A float16 (T, D) tensor as a .npy file, as the released S3D features are stored.</summary>
    private static class Npy
    {
        public static void WriteFloat16(string path, Tensor values)
        {
            string header = $"{{'descr': '<f2', 'fortran_order': False, 'shape': ({values.shape[0]}, {values.shape[1]}), }}";
            header += new string(' ', (64 - (10 + header.Length + 1) % 64) % 64) + "\n";
            using var stream = File.Create(path);
            stream.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
            stream.Write(BitConverter.GetBytes((ushort)header.Length));
            stream.Write(Encoding.ASCII.GetBytes(header));
            stream.Write(values.contiguous().bytes);
        }
    }
}
