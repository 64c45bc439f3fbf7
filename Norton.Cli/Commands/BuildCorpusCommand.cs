using System.CommandLine;
using Norton.Training.Corpus;

namespace Norton.Cli.Commands;

/// <summary>
/// <c>norton build-corpus --features DIR --captions DIR --output DIR [--split train|val] [--shard-size 4096]</c>: the
/// videos that have both S3D features (<c>norton extract-features</c>) and tokenised captions
/// (<c>norton tokenize-captions</c>), sharded into the corpus layout with its meta file (<see cref="CorpusBuilder"/>),
/// ready for <c>norton pretrain --corpus DIR</c>. Exit codes: 0 done, 1 the output could not be written, 2 missing or
/// malformed inputs.
/// </summary>
internal static class BuildCorpusCommand
{
    /// <summary>Builds the subcommand.</summary>
    public static Command Create()
    {
        var features = new Option<DirectoryInfo>("--features") { Description = "Folder of <id>.npy S3D features (seconds x 512).", Required = true };
        var captions = new Option<string>("--captions") { Description = "tokenize-captions' output folder (or its .jsonl file).", Required = true };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "The corpus folder.", Required = true };
        var split = new Option<string>("--split") { Description = "Which split to write.", DefaultValueFactory = _ => "train" };
        split.AcceptOnlyFromAmong("train", "val");
        var shardSize = new Option<int>("--shard-size") { Description = "Videos per shard.", DefaultValueFactory = _ => CorpusLayout.DefaultShardSize };
        var command = new Command("build-corpus", "Shard features and tokenised captions into a corpus folder for pretrain --corpus.");
        foreach (var option in new Option[] { features, captions, output, split, shardSize }) command.Options.Add(option);
        command.SetAction(p => Run(p.GetValue(features)!.FullName, Path.GetFullPath(p.GetValue(captions)!), p.GetValue(output)!.FullName,
            new CorpusWriterOptions { Split = p.GetValue(split) ?? "train", ShardSize = p.GetValue(shardSize) },
            p.InvocationConfiguration.Output, p.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Builds the corpus; returns the exit code.</summary>
    internal static int Run(string features, string captions, string output, CorpusWriterOptions options, TextWriter stdout, TextWriter error)
    {
        try
        {
            options.Validate();
            var summary = CorpusBuilder.Build(features, captions, output, options);
            stdout.WriteLine($"norton build-corpus: {summary.Written} {options.Split} videos in {output}; skipped {summary.WithoutFeatures} captioned videos without features and {summary.WithoutCaptions} feature files without captions");
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot write the corpus to '{output}': {e.Message}");
            return 1;
        }
    }
}
