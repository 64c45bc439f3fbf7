using System.CommandLine;
using System.Globalization;
using Norton.Core.Native;
using Norton.Models.Checkpoints;
using Norton.Training.Extraction;
using TorchSharp;

namespace Norton.Cli.Commands;

/// <summary>
/// <c>norton extract-features VIDEOS... --output DIR [--weights FILE] [--batch 32] [--device cpu|cuda]</c>: per-second
/// S3D features of video files, as the original's extractor makes them (<see cref="S3DFeatureExtractor"/>).
/// Exit code 0 when every video was extracted or already was, 1 when some could not be decoded (the others are
/// done), 2 when nothing could run (weights, device, arguments).
/// </summary>
internal static class ExtractFeaturesCommand
{
    /// <summary>The default weights file: the HowTo100M S3D checkpoint's released name.</summary>
    public const string DefaultWeights = "s3d_howto100m.pth";

    /// <summary>Builds the subcommand.</summary>
    public static Command Create()
    {
        var videos = new Argument<string[]>("videos")
        {
            Description = "Video files (any format the system's ffmpeg reads), or folders whose files are all videos.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Folder for the <id>.npy features (float16, seconds x 512); existing ones are skipped.",
            Required = true,
        };
        var weights = new Option<string>("--weights")
        {
            Description = "S3D-G weights (the HowTo100M checkpoint).",
            DefaultValueFactory = _ => DefaultWeights,
        };
        var batch = new Option<int>("--batch")
        {
            Description = "One-second clips per S3D forward.",
            DefaultValueFactory = _ => 32,
        };
        batch.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--batch must be at least 1");
        });
        var device = new Option<string>("--device")
        {
            Description = "Where S3D runs.",
            DefaultValueFactory = _ => "cpu",
        }.AcceptOnlyFromAmong("cpu", "cuda");

        var command = new Command("extract-features", "Extract per-second S3D video features (float16 .npy per video) with the original's preprocessing.");
        command.Arguments.Add(videos);
        command.Options.Add(output);
        command.Options.Add(weights);
        command.Options.Add(batch);
        command.Options.Add(device);
        command.SetAction(parseResult => Run(
            parseResult.GetValue(videos) ?? [], parseResult.GetValue(output)!, parseResult.GetValue(weights)!,
            parseResult.GetValue(batch), parseResult.GetValue(device)!,
            parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Runs the extraction; returns the exit code.</summary>
    internal static int Run(IReadOnlyList<string> videoArguments, string output, string weights, int batch, string deviceName,
        TextWriter stdout, TextWriter stderr)
    {
        var videos = new List<string>();
        foreach (string argument in videoArguments)
        {
            if (Directory.Exists(argument)) videos.AddRange(Directory.GetFiles(argument).Order(StringComparer.Ordinal));
            else videos.Add(argument);
        }
        if (videos.Count == 0)
        {
            stderr.WriteLine("extract-features: the folders given hold no files");
            return 2;
        }

        NortonNative.EnsureInitialized();
        if (deviceName == "cuda" && !torch.cuda.is_available())
        {
            stderr.WriteLine("extract-features: --device cuda, but CUDA is not available in this process (this build carries the CPU backend)");
            return 2;
        }

        S3DFeatureExtractor extractor;
        try
        {
            extractor = S3DFeatureExtractor.FromWeights(weights, torch.device(deviceName), new S3DExtractionOptions(batch));
        }
        catch (Exception e) when (e is FileNotFoundException or CheckpointFormatException or CheckpointMismatchException or InvalidDataException)
        {
            stderr.WriteLine($"extract-features: cannot load the S3D weights '{weights}': {e.Message}");
            return 2;
        }

        ExtractionSummary summary;
        using (extractor)
        {
            try
            {
                summary = extractor.Extract(videos, output, p => stdout.WriteLine(ProgressLine(p)));
            }
            catch (ArgumentException e)
            {
                stderr.WriteLine("extract-features: " + e.Message);
                return 2;
            }
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"extracted {summary.Extracted.Count}, skipped {summary.Skipped.Count} (already done), failed {summary.Failures.Count}; " +
            $"{summary.VideoSeconds:0.#} s of video in {summary.Elapsed.TotalSeconds:0.#} s ({summary.VideoSecondsPerSecond:0.##} s/s; " +
            $"network {summary.NetworkTime.TotalSeconds:0.#} s, waiting for decoding {summary.WaitTime.TotalSeconds:0.#} s)"));
        foreach (var failure in summary.Failures)
            stderr.WriteLine($"failed: {failure.Video}: {failure.Reason}");
        return summary.Failures.Count == 0 ? 0 : 1;
    }

    private static string ProgressLine(ExtractionProgress p)
    {
        string what = p.Outcome switch
        {
            ExtractionOutcome.Extracted => "extracted",
            ExtractionOutcome.Skipped => "skipped (already extracted)",
            _ => "FAILED: " + p.Error,
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"[{p.VideosDone}/{p.VideosTotal}] {p.Video}: {what} ({p.VideoSeconds:0.#} s of video, {p.VideoSecondsPerSecond:0.##} s/s)");
    }
}
