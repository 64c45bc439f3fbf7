using System.CommandLine;
using Norton.Training.Corpus;

namespace Norton.Cli.Commands;

/// <summary>
/// <c>norton make-corpus --synthetic --videos N --output DIR [--val-videos M] [--seed S] [--feature-dim D]</c>: writes a
/// synthetic pretraining corpus (<see cref="SyntheticCorpus"/>; docs/training-data.md) in the original's layout, ready
/// for <c>norton pretrain --corpus DIR</c>. Exit codes: 0 written, 1 the folder could not be written, 2 bad arguments.
/// </summary>
internal static class MakeCorpusCommand
{
    /// <summary>Builds the subcommand.</summary>
    public static Command Create()
    {
        var synthetic = new Option<bool>("--synthetic") { Description = "Generate a synthetic corpus (the only source this command has).", Required = true };
        var videos = new Option<int>("--videos") { Description = "Training videos.", Required = true };
        var valVideos = new Option<int>("--val-videos") { Description = "Validation videos of the same steps (0: no val split).", DefaultValueFactory = _ => 0 };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "The corpus folder.", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Everything random derives from it.", DefaultValueFactory = _ => 1UL };
        var dim = new Option<int>("--feature-dim") { Description = "Feature width (512 as S3D).", DefaultValueFactory = _ => 512 };
        var command = new Command("make-corpus", "Write a synthetic pretraining corpus (features, captions, meta) for norton pretrain --corpus.");
        foreach (var option in new Option[] { synthetic, videos, valVideos, output, seed, dim }) command.Options.Add(option);
        command.SetAction(p => Run(p.GetValue(synthetic), p.GetValue(videos), p.GetValue(valVideos), p.GetValue(output)!.FullName,
            p.GetValue(seed), p.GetValue(dim), p.InvocationConfiguration.Output, p.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Writes the corpus; returns the exit code.</summary>
    internal static int Run(bool synthetic, int videos, int valVideos, string output, ulong seed, int featureDim, TextWriter stdout, TextWriter error)
    {
        SyntheticCorpusOptions train, val;
        try
        {
            if (!synthetic) throw new ArgumentException("--synthetic is required (build-corpus makes a corpus from real features).");
            if (videos < 1) throw new ArgumentException($"--videos must be at least 1, but got {videos}.");
            if (valVideos < 0) throw new ArgumentException($"--val-videos cannot be negative; got {valVideos}.");
            train = new SyntheticCorpusOptions { FeatureDim = featureDim }.Validate();
            val = train with { Layout = new CorpusWriterOptions { Split = "val" }, SkipVideos = videos };
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"error: {e.Message}");
            return 2;
        }
        try
        {
            if (valVideos > 0) SyntheticCorpus.Write(output, valVideos, seed, val);
            var ids = SyntheticCorpus.Write(output, videos, seed, train);
            stdout.WriteLine($"norton make-corpus: {ids.Count} train and {valVideos} val videos ({featureDim}-d features, seed {seed}) in {output}");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot write the corpus to '{output}': {e.Message}");
            return 1;
        }
    }
}
