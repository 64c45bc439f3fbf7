using System.Diagnostics;
using System.Text.Json;
using Norton.Models.S3D;
using Norton.Training.Extraction;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Benchmarks;

/// <summary>
/// <c>profile-extract</c>: seconds of video per second of <see cref="S3DFeatureExtractor"/> on a generated testsrc2
/// video (the original's 30 fps, 224 x 224 preprocessing; S3D-G with random weights, which cost what the released ones
/// do): decoding alone, the network alone (random clips, after one warm-up forward) and the whole pipeline (decoding on
/// its thread, overlapped with the network). One JSON line.
/// </summary>
public static class ProfileExtractCommand
{
    /// <summary>Usage line.</summary>
    public const string Usage =
        "profile-extract [--seconds S] [--width W] [--height H] [--rate R] [--batch B] [--threads T] [--device cpu|cuda] [--decode-runs N]";

    private static readonly FramePreprocessing Preprocessing = FramePreprocessing.Original;

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var cl = new CommandLine(args);
        long seconds = cl.Integer("seconds", 4, min: 1);
        long width = cl.Integer("width", 640, min: 2), height = cl.Integer("height", 360, min: 2);
        long rate = cl.Integer("rate", 30, min: 1);
        int batch = (int)cl.Integer("batch", 4, min: 1);
        int threads = (int)cl.Integer("threads", BenchmarkEnvironment.Threads, min: 1);
        string deviceName = cl.Choice("device", "cpu", "cuda");
        long decodeRuns = cl.Integer("decode-runs", 3, min: 1);
        cl.RejectUnknown();

        BenchmarkEnvironment.Initialize(threads, Console.Error);
        if (deviceName == "cuda" && !torch.cuda.is_available())
            throw new ArgumentException("--device cuda: CUDA is not available in this process (CPU backend or no device)");
        var device = torch.device(deviceName);

        string folder = Path.Combine(Path.GetTempPath(), "norton-profile-extract-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string video = Path.Combine(folder, "testsrc2.mp4");
            MakeVideo(video, width, height, rate, seconds);

            int frames = 0;
            var decode = Timing.Measure(() =>
                frames = VideoFrameDecoder.Decode(video, Preprocessing, (_, _) => { }, CancellationToken.None), decodeRuns, warmup: 0);
            double videoSeconds = frames / (double)Preprocessing.Fps;

            torch.manual_seed(0);
            using var model = new S3DG();
            model.to(device);
            using var extractor = new S3DFeatureExtractor(model, new S3DExtractionOptions(batch));
            int clips = (int)Math.Ceiling(videoSeconds);
            double networkSeconds;
            using (var scope = NewDisposeScope())
            {
                var warm = rand(new long[] { 1, 3, Preprocessing.Fps, Preprocessing.FrameSize, Preprocessing.FrameSize }, device: device);
                extractor.Embed(warm).Dispose();                                    // first oneDNN/cuDNN call, not timed
                var input = rand(new long[] { Math.Min(batch, clips), 3, Preprocessing.Fps, Preprocessing.FrameSize, Preprocessing.FrameSize }, device: device);
                var clock = Stopwatch.StartNew();
                for (int done = 0; done < clips; done += batch) extractor.Embed(input).Dispose();
                networkSeconds = clock.Elapsed.TotalSeconds;
            }

            var summary = extractor.Extract([video], Path.Combine(folder, "features"));
            double decodeSeconds = Timing.Median(decode) / 1000.0;
            var line = new Dictionary<string, object?>
            {
                ["command"] = "profile-extract",
                ["video"] = $"testsrc2 {width}x{height} {rate} fps h264", ["seconds"] = seconds, ["frames_30fps"] = frames,
                ["batch"] = batch, ["threads"] = threads, ["device"] = deviceName, ["decode_runs"] = decodeRuns,
                ["decode_s"] = Math.Round(decodeSeconds, 3),
                ["decode_video_s_per_s"] = Math.Round(videoSeconds / decodeSeconds, 3),
                ["network_s"] = Math.Round(networkSeconds, 3),
                ["network_video_s_per_s"] = Math.Round(clips / networkSeconds, 4),
                ["end_to_end_s"] = Math.Round(summary.Elapsed.TotalSeconds, 3),
                ["end_to_end_video_s_per_s"] = Math.Round(summary.VideoSecondsPerSecond, 4),
                ["end_to_end_network_s"] = Math.Round(summary.NetworkTime.TotalSeconds, 3),
                ["end_to_end_wait_for_decoding_s"] = Math.Round(summary.WaitTime.TotalSeconds, 3),
                ["failures"] = summary.Failures.Count,
                ["peak_working_set_mib"] = Math.Round(ProcessMemory.PeakBytes() / (1024.0 * 1024.0), 1),
            };
            Console.WriteLine(JsonSerializer.Serialize(line));
            return summary.Failures.Count == 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void MakeVideo(string path, long width, long height, long rate, long seconds)
    {
        var start = new ProcessStartInfo("ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
            $"testsrc2=size={width}x{height}:rate={rate}:duration={seconds}", "-c:v", "libx264", "-pix_fmt", "yuv420p", path])
        { RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start ffmpeg");
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not make the test video: {error}");
    }
}
