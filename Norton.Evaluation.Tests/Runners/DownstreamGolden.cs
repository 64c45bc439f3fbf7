using System.Text.Json;
using Norton.Evaluation.Config;
using Norton.TestSupport;

namespace Norton.Evaluation.Tests.Runners;

/// <summary>
/// Locates the zero-shot golden cases (golden/downstream: tiny datasets in the real formats and the tensors the
/// original's processors built from them) and the original's configs. The one place that knows where they live.
/// </summary>
internal static class DownstreamGolden
{
    public static string ConfigPath(string name) => Path.Combine(TestDataPaths.OriginalConfigsDirectory, name);

    /// <summary>Every case folder (with expected.json) under golden/downstream and NORTON_GOLDEN_DIRS/downstream.</summary>
    public static IEnumerable<string> CaseFolders()
    {
        return GoldenCases.Roots("downstream")
            .SelectMany(r => Directory.GetDirectories(r).Where(d => File.Exists(Path.Combine(d, "expected.json"))).OrderBy(d => d, StringComparer.Ordinal));
    }

    public static string Case(string name) => Path.Combine(TestDataPaths.GoldenDirectory, "downstream", name);

    /// <summary>
    /// The case's config with its data paths pointed at the case's data/ folder: files by their base name, the
    /// feature folder at feat/.
    /// </summary>
    public static (EvaluationConfig Config, string DataDirectory, JsonDocument Expected) Load(string caseFolder)
    {
        var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(caseFolder, "expected.json")));
        string configName = expected.RootElement.GetProperty("config").GetString()!;
        EvaluationConfig config = EvaluationConfig.Load(ConfigPath(configName));
        var overrides = new Dictionary<string, string> { ["vfeat_dir"] = "feat" };
        foreach (string key in new[] { "test_path", "trainval_annotation", "anno_path" })
            if (config.Dataset.TryGetValue(key, out string? value)) overrides[key] = Path.GetFileName(value);
        return (config.WithDataset(overrides), Path.Combine(caseFolder, "data"), expected);
    }

    /// <summary>
    /// Copies a case's data/ into <paramref name="root"/> at the paths the unchanged config names (data/msrvtt/…),
    /// as a user's checkout of the original would hold them.
    /// </summary>
    public static void StageAsOriginal(string caseFolder, EvaluationConfig original, string root)
    {
        string data = Path.Combine(caseFolder, "data");
        foreach (string key in new[] { "test_path", "trainval_annotation", "anno_path" })
            if (original.Dataset.TryGetValue(key, out string? value))
            {
                string target = Path.Combine(root, value);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(data, Path.GetFileName(value)), target, overwrite: true);
            }
        string features = Path.Combine(root, original.Require("vfeat_dir"));
        Directory.CreateDirectory(features);
        foreach (string file in Directory.GetFiles(Path.Combine(data, "feat")))
            File.Copy(file, Path.Combine(features, Path.GetFileName(file)), overwrite: true);
    }

    /// <summary>A nested JSON array flattened, with its shape.</summary>
    public static (double[] Values, long[] Shape) Flatten(JsonElement element)
    {
        var shape = new List<long>();
        JsonElement e = element;
        while (e.ValueKind == JsonValueKind.Array)
        {
            shape.Add(e.GetArrayLength());
            if (e.GetArrayLength() == 0) break;
            e = e[0];
        }
        var values = new List<double>();
        void Walk(JsonElement x)
        {
            if (x.ValueKind == JsonValueKind.Array) foreach (JsonElement c in x.EnumerateArray()) Walk(c);
            else if (x.ValueKind is JsonValueKind.True or JsonValueKind.False) values.Add(x.GetBoolean() ? 1 : 0);
            else values.Add(x.GetDouble());
        }
        Walk(element);
        return (values.ToArray(), shape.ToArray());
    }
}
