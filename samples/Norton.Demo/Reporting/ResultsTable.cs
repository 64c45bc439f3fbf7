using System.Globalization;
using Norton.Demo.Evaluation;
using Spectre.Console;

namespace Norton.Demo.Reporting;

/// <summary>The console table: one row per figure, Norton against InfoNCE.</summary>
internal static class ResultsTable
{
    /// <summary>Builds the table.</summary>
    public static Table Build(MethodResults norton, MethodResults infoNce)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title("[bold]Held-out videos, clean ground truth[/]")
            .AddColumn("metric")
            .AddColumn(new TableColumn("Norton").RightAligned())
            .AddColumn(new TableColumn("InfoNCE").RightAligned())
            .AddColumn(new TableColumn("diff").RightAligned());
        foreach (var (name, n, i) in Rows(norton, infoNce))
            table.AddRow(Markup.Escape(name), F(n), F(i), Diff(n - i));
        return table;
    }

    /// <summary>(label, Norton, InfoNCE) for each row, in display order.</summary>
    public static IEnumerable<(string Name, double Norton, double InfoNce)> Rows(MethodResults n, MethodResults i)
    {
        yield return ("clip R@1", n.ClipR1, i.ClipR1);
        yield return ("clip R@5", n.ClipR5, i.ClipR5);
        yield return ("clip R@10", n.ClipR10, i.ClipR10);
        yield return ("paragraph R@1, OT + bucket (cos)", n.ParagraphR1, i.ParagraphR1);
        yield return ("paragraph R@1, Cap.Avg (cos)", n.ParagraphR1CapAvg, i.ParagraphR1CapAvg);
        yield return ("paragraph R@1, DTW (1 - cos)", n.ParagraphR1Dtw, i.ParagraphR1Dtw);
        yield return ("alignment recall", n.AlignmentRecall, i.AlignmentRecall);
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";

    private static string Diff(double d)
    {
        if (!double.IsFinite(d)) return "n/a";
        string text = (d >= 0 ? "+" : "") + d.ToString("0.000", CultureInfo.InvariantCulture);
        return d > 0 ? $"[green]{text}[/]" : d < 0 ? $"[red]{text}[/]" : text;
    }
}
