using System.CommandLine;
using Norton.Cli.Evaluate;
using Spectre.Console;

namespace Norton.Cli.Commands;

/// <summary>
/// <c>norton evaluate CONFIG [--checkpoint FILE | --checkpoints DIR] [--data DIR] [--output DIR] [--device cpu|cuda]</c>: one of the
/// original's zero-shot test configs, read unchanged, on the data it names.
/// </summary>
internal static class EvaluateCommand
{
    /// <summary>Builds the subcommand.</summary>
    public static Command Create()
    {
        var config = new Argument<FileInfo>("config") { Description = "The original's test config, e.g. test_youcook_fullvideo_bg_zs.yaml (read unchanged)." };
        var checkpoint = new Option<FileInfo?>("--checkpoint") { Description = "A model state dict (torch.save zip or safetensors, e.g. from tools/export_checkpoint.py)." };
        var checkpoints = new Option<DirectoryInfo?>("--checkpoints") { Description = "A folder: evaluate every checkpoint*.pt / checkpoint*.safetensors in it and report the best (as the original's predict.py)." };
        var data = new Option<DirectoryInfo?>("--data") { Description = "The folder the config's paths (data/...) are relative to. Default: the current folder." };
        var output = new Option<DirectoryInfo?>("--output") { Description = "Where results.json and the plots go. Default: the current folder." };
        var noPlots = new Option<bool>("--no-plots") { Description = "Do not draw the COIN segmentation or HTM-Align heatmap." };
        var device = new Option<string>("--device") { Description = "Where the towers run: cpu or cuda (the scores come back to the CPU).", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong("cpu", "cuda");
        var command = new Command("evaluate", "Zero-shot evaluation with one of the original's test configs: MSR-VTT retrieval and QA, YouCook2 clips and video-paragraphs (with and without background), COIN segmentation, HTM-Align.");
        command.Arguments.Add(config);
        command.Options.Add(checkpoint);
        command.Options.Add(checkpoints);
        command.Options.Add(data);
        command.Options.Add(output);
        command.Options.Add(noPlots);
        command.Options.Add(device);
        command.SetAction(parseResult =>
        {
            var options = new EvaluateOptions(
                parseResult.GetValue(config)!.FullName,
                parseResult.GetValue(checkpoint)?.FullName,
                parseResult.GetValue(checkpoints)?.FullName,
                parseResult.GetValue(data)?.FullName ?? Directory.GetCurrentDirectory(),
                parseResult.GetValue(output)?.FullName ?? Directory.GetCurrentDirectory(),
                !parseResult.GetValue(noPlots),
                parseResult.GetValue(device) ?? "cpu");
            TextWriter writer = parseResult.InvocationConfiguration.Output;
            bool terminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
                Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            });
            return EvaluateRun.Execute(options, console);
        });
        return command;
    }
}
