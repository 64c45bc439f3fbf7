using System.CommandLine;
using Norton.Models.Data;
using Norton.Training.Corpus;

namespace Norton.Cli.Commands;

/// <summary>
/// <c>norton tokenize-captions CAPTIONS.json --output DIR</c>: tokenises the original's sentencified captions
/// (<c>{video: {start, end, text}}</c>, .json or .pkl) as its pretokenisation does (first 96 characters,
/// bert-base-uncased, no special tokens, at most 32 ids) into <c>DIR/captions.bert-base-uncased.jsonl</c>
/// (<see cref="TokenizedCaptionFile"/>), the input of <c>norton build-corpus</c>. Exit codes: 0 done, 1 the output could
/// not be written, 2 a missing or malformed caption file.
/// </summary>
internal static class TokenizeCaptionsCommand
{
    /// <summary>Builds the subcommand.</summary>
    public static Command Create()
    {
        var captions = new Argument<FileInfo>("captions") { Description = "Sentencified captions: {video: {\"start\": [...], \"end\": [...], \"text\": [...]}} (.json or .pkl)." };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Folder for captions.bert-base-uncased.jsonl.", Required = true };
        var command = new Command("tokenize-captions", "Tokenise sentencified captions (bert-base-uncased, <= 32 ids) for build-corpus.");
        command.Arguments.Add(captions);
        command.Options.Add(output);
        command.SetAction(p => Run(p.GetValue(captions)!.FullName, p.GetValue(output)!.FullName, p.InvocationConfiguration.Output, p.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Tokenises; returns the exit code.</summary>
    internal static int Run(string captions, string output, TextWriter stdout, TextWriter error)
    {
        Dictionary<string, VideoCaptions> read;
        try
        {
            if (!File.Exists(captions)) throw new FileNotFoundException($"the caption file '{captions}' does not exist.", captions);
            read = SentencifiedCaptions.Read(captions);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            error.WriteLine($"error: {e.Message}");
            return 2;
        }
        try
        {
            string path = TokenizedCaptionFile.Write(output, read);
            stdout.WriteLine($"norton tokenize-captions: {read.Count} videos, {read.Values.Sum(c => c.Count)} captions -> {path}");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot write to '{output}': {e.Message}");
            return 1;
        }
    }
}
