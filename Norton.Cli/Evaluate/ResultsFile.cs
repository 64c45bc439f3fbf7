using System.Text.Json;
using Norton.Evaluation.Runners;

namespace Norton.Cli.Evaluate;

/// <summary>Writes results.json (to a temporary file, then renamed, so a reader never sees half a file).</summary>
internal static class ResultsFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(string folder, ZeroShotTask task, string data, IReadOnlyList<(string Checkpoint, EvaluationResult Result)> results, int best)
    {
        var document = new
        {
            config = task.Config.Name,
            config_path = task.Config.Path,
            task = task.Name,
            data,
            results = results.Select(r => new
            {
                checkpoint = r.Checkpoint,
                items = r.Result.Items,
                metrics = r.Result.Metrics.ToDictionary(m => m.Name, m => double.IsFinite(m.Value) ? (double?)m.Value : null),
            }).ToArray(),
            best = new
            {
                checkpoint = results[best].Checkpoint,
                metric = results[best].Result.Metrics[0].Name,
                value = double.IsFinite(results[best].Result.Primary) ? (double?)results[best].Result.Primary : null,
            },
        };
        string path = Path.Combine(folder, "results.json");
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(document, Indented));
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
