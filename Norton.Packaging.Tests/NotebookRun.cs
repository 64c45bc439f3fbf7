using System.Text.Json;
using System.Text.RegularExpressions;

namespace Norton.Packaging.Tests;

/// <summary>A notebook as dotnet-repl wrote it after running it: its code cells and their outputs.</summary>
internal sealed partial class NotebookRun
{
    private NotebookRun(List<CodeCell> cells) => Cells = cells;

    /// <summary>One code cell: its index among all cells, its source, its text outputs and its errors.</summary>
    public sealed record CodeCell(int Index, string Source, IReadOnlyList<string> Text, IReadOnlyList<string> Errors);

    /// <summary>The code cells in order.</summary>
    public IReadOnlyList<CodeCell> Cells { get; }

    /// <summary>Every error output, with the cell it came from.</summary>
    public IEnumerable<string> Errors =>
        Cells.SelectMany(c => c.Errors.Select(e => $"cell {c.Index} ({FirstLine(c.Source)}): {e}"));

    /// <summary>All text the cells printed.</summary>
    public string AllText => string.Join("\n", Cells.SelectMany(c => c.Text));

    /// <summary>Reads an .ipynb file.</summary>
    public static NotebookRun Read(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var cells = new List<CodeCell>();
        int index = 0;
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            if (cell.GetProperty("cell_type").GetString() == "code")
            {
                var text = new List<string>();
                var errors = new List<string>();
                if (cell.TryGetProperty("outputs", out var outputs))
                    foreach (var output in outputs.EnumerateArray())
                    {
                        string kind = output.GetProperty("output_type").GetString() ?? "";
                        if (kind == "error")
                            errors.Add($"{Str(output, "ename")}: {Str(output, "evalue")}");
                        else if (output.TryGetProperty("text", out var t))
                            text.Add(Join(t));
                        else if (output.TryGetProperty("data", out var data) && data.TryGetProperty("text/plain", out var plain))
                            text.Add(Join(plain));
                    }
                cells.Add(new CodeCell(index, Join(cell.GetProperty("source")), text, errors));
            }
            index++;
        }
        return new NotebookRun(cells);
    }

    /// <summary>The <c>#r "nuget: Id, Version"</c> references of a notebook file.</summary>
    public static IReadOnlyList<(string Id, string Version)> PackageReferences(string path) =>
        Read(path).Cells.SelectMany(c => NugetReference().Matches(c.Source))
            .Select(m => (m.Groups[1].Value.Trim(), m.Groups[2].Value.Trim())).ToList();

    private static string FirstLine(string source) => source.Split('\n')[0].Trim();

    private static string Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";

    private static string Join(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? string.Concat(e.EnumerateArray().Select(x => x.GetString())) : e.GetString() ?? "";

    [GeneratedRegex(@"#r\s+""nuget:\s*([^,""]+),\s*([^""]+)""")]
    private static partial Regex NugetReference();
}
