using Norton.Evaluation.Encoders;
using Norton.Evaluation.Runners;
using Norton.Models.Checkpoints;
using Spectre.Console;

namespace Norton.Cli.Evaluate;

/// <summary>Runs <c>norton evaluate</c>: each checkpoint through the config's runner, the table, results.json, plots.</summary>
internal static class EvaluateRun
{
    /// <summary>Returns the exit code: 0 on success, 1 on bad input (the message says what and where).</summary>
    public static int Execute(EvaluateOptions options, IAnsiConsole console)
    {
        try
        {
            ZeroShotTask task = ZeroShotTasks.Create(options.ConfigPath, options.DataDirectory);
            IReadOnlyList<string> checkpoints = options.CheckpointFiles();
            var device = options.TorchDevice();
            console.MarkupLine($"[bold]{Markup.Escape(task.Config.Name)}[/]: {Markup.Escape(task.Name)}, data {Markup.Escape(options.DataDirectory)}");
            var results = new List<(string Checkpoint, EvaluationResult Result)>();
            for (int i = 0; i < checkpoints.Count; i++)
            {
                console.MarkupLine($"checkpoint {i + 1}/{checkpoints.Count}: {Markup.Escape(checkpoints[i])}");
                using var model = ModelCheckpoint.Load(checkpoints[i], task.MaxVideoLength, device);
                var encoder = new VideoTextModelEncoder(model, device);
                results.Add((checkpoints[i], ProgressReporting.Run(console, task, encoder)));
            }
            int best = 0;
            for (int i = 1; i < results.Count; i++)
                if (results[i].Result.Primary > results[best].Result.Primary) best = i;
            console.Write(ResultsTable.Build(results, best));
            Directory.CreateDirectory(options.OutputDirectory);
            string json = ResultsFile.Write(options.OutputDirectory, task, options.DataDirectory, results, best);
            console.MarkupLine($"best: {Markup.Escape(Path.GetFileName(results[best].Checkpoint))} ({Markup.Escape(results[best].Result.Metrics[0].Name)} {results[best].Result.Primary:F4}); results in {Markup.Escape(json)}");
            if (options.Plots)
                foreach (string plot in EvaluationPlots.Draw(options.OutputDirectory, results[best].Result))
                    console.MarkupLine($"plot: {Markup.Escape(plot)}");
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException
                                      or CheckpointMismatchException or UnauthorizedAccessException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
    }
}
