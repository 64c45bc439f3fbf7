using System.Text.Json;
using System.Text.Json.Nodes;
using Norton.Demo.Evaluation;

namespace Norton.Demo.Reporting;

/// <summary>Writes results.json: <c>{"norton": {...}, "infonce": {...}}</c>, each with the table's figures and the
/// arguments of the run.</summary>
internal static class ResultsFile
{
    /// <summary>The file name inside the output folder.</summary>
    public const string FileName = "results.json";

    /// <summary>The metric keys every method object carries (fractions in [0, 1]).</summary>
    public static readonly IReadOnlyList<string> MetricKeys = new[]
    {
        "clip_r1", "clip_r5", "clip_r10", "paragraph_r1", "paragraph_r1_capavg", "paragraph_r1_dtw", "alignment_recall",
    };

    /// <summary>Writes the file and returns its path.</summary>
    public static string Write(string folder, DemoOptions options, MethodResults norton, double nortonSeconds,
        MethodResults infoNce, double infoNceSeconds)
    {
        var root = new JsonObject
        {
            ["norton"] = Method(norton, options, nortonSeconds),
            ["infonce"] = Method(infoNce, options, infoNceSeconds),
        };
        string path = Path.Combine(folder, FileName);
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
        return path;
    }

    /// <summary>A finite number, or null where a figure is undefined (no alignable caption at all).</summary>
    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static JsonObject Method(MethodResults r, DemoOptions options, double seconds)
    {
        var arguments = new JsonObject();
        foreach (var (key, value) in options.ToDictionary())
            arguments[key] = value switch
            {
                int i => JsonValue.Create(i),
                double d => JsonValue.Create(d),
                bool b => JsonValue.Create(b),
                _ => JsonValue.Create(value.ToString()),
            };
        return new JsonObject
        {
            ["clip_r1"] = Number(r.ClipR1),
            ["clip_r5"] = Number(r.ClipR5),
            ["clip_r10"] = Number(r.ClipR10),
            ["paragraph_r1"] = Number(r.ParagraphR1),
            ["paragraph_r1_capavg"] = Number(r.ParagraphR1CapAvg),
            ["paragraph_r1_dtw"] = Number(r.ParagraphR1Dtw),
            ["alignment_recall"] = Number(r.AlignmentRecall),
            ["alignment_auc"] = Number(r.AlignmentAuc),
            ["bucket_value"] = Number(r.BucketValue),
            ["run_seconds"] = Math.Round(seconds, 2),   // training and evaluation
            ["arguments"] = arguments,
        };
    }
}
