using System.Globalization;
using Norton.Evaluation.Runners;
using Spectre.Console;

namespace Norton.Cli.Evaluate;

/// <summary>The metric table: one row per checkpoint, the best marked.</summary>
internal static class ResultsTable
{
    public static Table Build(IReadOnlyList<(string Checkpoint, EvaluationResult Result)> results, int best)
    {
        var table = new Table().Title(Markup.Escape($"{results[0].Result.Config}: {results[0].Result.Task} ({results[0].Result.Items} items)"));
        table.AddColumn("checkpoint");
        foreach (MetricValue metric in results[0].Result.Metrics)
            table.AddColumn(new TableColumn(Markup.Escape(metric.Name)).RightAligned());
        for (int i = 0; i < results.Count; i++)
        {
            var cells = new List<string> { Markup.Escape(Path.GetFileName(results[i].Checkpoint)) + (i == best && results.Count > 1 ? " [green](best)[/]" : "") };
            cells.AddRange(results[i].Result.Metrics.Select(m => Format(m)));
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    private static string Format(MetricValue metric) =>
        metric.Name == "MR"
            ? metric.Value.ToString("F1", CultureInfo.InvariantCulture)
            : (100 * metric.Value).ToString("F2", CultureInfo.InvariantCulture);
}
