using System.Text.Json;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.TestSupport;

/// <summary>One golden JSON test vector (see testdata/golden/FORMAT.md).</summary>
public sealed class GoldenCase
{
    private GoldenCase(string path, JsonElement root)
    {
        Path = path;
        Root = root;
    }

    /// <summary>Full path of the JSON file.</summary>
    public string Path { get; }

    /// <summary>The file name without extension: the test's name.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>The parsed document.</summary>
    public JsonElement Root { get; }

    /// <summary>The case's <c>kind</c> field.</summary>
    public string Kind => Root.GetProperty("kind").GetString()!;

    /// <summary>The case's <c>dtype</c> field (float32 or float64).</summary>
    public ScalarType DType => ParseDType(Root.GetProperty("dtype").GetString()!);

    /// <summary>Reads a golden file.</summary>
    public static GoldenCase Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        return new GoldenCase(path, doc.RootElement.Clone());
    }

    /// <summary>
    /// Every top-level <c>*.json</c> case (index.json excluded) of testdata/golden and of each folder of
    /// <c>NORTON_GOLDEN_DIRS</c> whose kind starts with <paramref name="kindPrefix"/>, as xunit theory rows (full paths).
    /// Subfolders (sampler/, retrieval/, downstream/) are listed by <see cref="GoldenCases"/>.
    /// </summary>
    public static TheoryData<CaseRef> Paths(string kindPrefix) => new(All(kindPrefix));

    /// <summary>The same cases as <see cref="Paths"/>, as a list.</summary>
    public static IReadOnlyList<CaseRef> All(string kindPrefix)
    {
        var data = new List<CaseRef>();
        foreach (string folder in TestDataPaths.GoldenRoots())
        {
            foreach (string file in Directory.EnumerateFiles(folder, "*.json").OrderBy(f => f, StringComparer.Ordinal))
            {
                if (System.IO.Path.GetFileName(file) == "index.json") continue;
                using var stream = File.OpenRead(file);
                using var doc = JsonDocument.Parse(stream);
                if (doc.RootElement.TryGetProperty("kind", out var kind) && kind.GetString()!.StartsWith(kindPrefix, StringComparison.Ordinal))
                    data.Add(new CaseRef(System.IO.Path.GetFullPath(file)));
            }
        }
        return data;
    }

    /// <summary>Decodes a <c>{shape, dtype, data}</c> tensor object (float64 data kept exact; bool as bool).</summary>
    public static Tensor ReadTensor(JsonElement element)
    {
        long[] shape = element.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        string dtype = element.GetProperty("dtype").GetString()!;
        var data = element.GetProperty("data");
        switch (dtype)
        {
            case "bool":
                return tensor(data.EnumerateArray().Select(e => e.GetDouble() != 0).ToArray(), shape);
            case "float32":
                // The shortest decimal that round-trips as float32: parse as double, round to float32 (exact).
                return tensor(data.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray(), shape);
            case "float64":
                return tensor(data.EnumerateArray().Select(e => e.GetDouble()).ToArray(), shape);
            case "int64":
                return tensor(data.EnumerateArray().Select(e => e.GetInt64()).ToArray(), shape);
            default:
                throw new InvalidDataException($"unknown golden dtype '{dtype}'");
        }
    }

    /// <summary>Tensor at a property path, e.g. <c>("inputs", "scores")</c>.</summary>
    public Tensor Tensor(params string[] path) => ReadTensor(Get(path));

    /// <summary>True when the property path exists and is not null.</summary>
    public bool Has(params string[] path)
    {
        JsonElement e = Root;
        foreach (string p in path)
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e)) return false;
        return e.ValueKind != JsonValueKind.Null;
    }

    /// <summary>Element at a property path.</summary>
    public JsonElement Get(params string[] path)
    {
        JsonElement e = Root;
        foreach (string p in path)
            e = e.GetProperty(p);
        return e;
    }

    /// <summary>Maps a golden dtype name to a torch scalar type.</summary>
    public static ScalarType ParseDType(string name) => name switch
    {
        "float64" => ScalarType.Float64,
        "float32" => ScalarType.Float32,
        "bool" => ScalarType.Bool,
        _ => throw new InvalidDataException($"unknown golden dtype '{name}'"),
    };
}
