using System.Globalization;
using Norton.Evaluation.Runners;
using Spectre.Console;

namespace Norton.Cli.Evaluate;

/// <summary>The metric table: one row per metric, one column per checkpoint, the best marked.</summary>
internal static class ResultsTable
{
    public static Table Build(IReadOnlyList<(string Checkpoint, EvaluationResult Result)> results, int best)
    {
        EvaluationResult first = results[0].Result;
        var table = new Table().Title(Markup.Escape($"{first.Config}: {first.Task} ({first.Items} items)"));
        table.AddColumn("metric");
        for (int i = 0; i < results.Count; i++)
        {
            string name = Markup.Escape(Path.GetFileName(results[i].Checkpoint));
            table.AddColumn(new TableColumn(i == best && results.Count > 1 ? $"{name} [green](best)[/]" : name).RightAligned());
        }
        for (int m = 0; m < first.Metrics.Count; m++)
        {
            var cells = new List<string> { Markup.Escape(first.Metrics[m].Name) };
            cells.AddRange(results.Select(r => Format(r.Result.Metrics[m])));
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    /// <summary>Recalls and accuracies in percent, the median rank as a rank.</summary>
    private static string Format(MetricValue metric) =>
        metric.Name == "MR"
            ? metric.Value.ToString("F1", CultureInfo.InvariantCulture)
            : (100 * metric.Value).ToString("F2", CultureInfo.InvariantCulture);
}
