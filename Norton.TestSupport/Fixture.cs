using System.Collections;
using System.Text.Json;
using TorchSharp;
using Xunit;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Norton.TestSupport;

/// <summary>One model parity fixture folder (see testdata/fixtures/README.md).</summary>
public sealed class Fixture : IDisposable
{
    private readonly Hashtable _io;

    private Fixture(string folder, JsonElement meta, Hashtable io)
    {
        Folder = folder;
        Meta = meta;
        _io = io;
    }

    /// <summary>The fixture folder.</summary>
    public string Folder { get; }

    /// <summary>The folder name: the test's name.</summary>
    public string Name => Path.GetFileName(Folder);

    /// <summary>Parsed meta.json.</summary>
    public JsonElement Meta { get; }

    /// <summary>The weights file: <c>weights.pt</c>, or the file named by <c>meta.json → weights_from</c>.</summary>
    public string WeightsPath
    {
        get
        {
            if (Meta.TryGetProperty("weights_from", out var from) && from.ValueKind == JsonValueKind.String)
            {
                string candidate = Path.GetFullPath(Path.Combine(Folder, from.GetString()!));
                if (File.Exists(candidate)) return candidate;
                // Allow "other_fixture/weights.pt" relative to the kind folder or to the fixtures root.
                foreach (string baseDir in new[] { Path.GetDirectoryName(Folder)!, Path.GetDirectoryName(Path.GetDirectoryName(Folder)!)! })
                {
                    candidate = Path.GetFullPath(Path.Combine(baseDir, from.GetString()!));
                    if (File.Exists(candidate)) return candidate;
                }
                throw new FileNotFoundException($"{Name}: weights_from '{from.GetString()}' not found");
            }
            return Path.Combine(Folder, "weights.pt");
        }
    }

    /// <summary>Loads meta.json and io.pt.</summary>
    public static Fixture Load(string folder)
    {
        using var stream = File.OpenRead(Path.Combine(folder, "meta.json"));
        using var doc = JsonDocument.Parse(stream);
        var io = PyTorchUnpickler.UnpickleStateDict(Path.Combine(folder, "io.pt"));
        return new Fixture(folder, doc.RootElement.Clone(), io);
    }

    /// <summary>True when io.pt holds <paramref name="key"/>.</summary>
    public bool Has(string key) => _io.ContainsKey(key);

    /// <summary>A tensor of io.pt.</summary>
    public Tensor this[string key] => _io[key] as Tensor ?? throw new KeyNotFoundException($"{Name}: io.pt has no tensor '{key}'");

    /// <summary>All io.pt keys.</summary>
    public IEnumerable<string> Keys => _io.Keys.Cast<string>();

    /// <summary>
    /// Every fixture folder of the given kind (e.g. <c>s3d</c>) in testdata/fixtures and in each folder of
    /// <c>NORTON_FIXTURE_DIRS</c> (same layout: kind/fixture), as xunit theory rows (full paths).
    /// </summary>
    public static TheoryData<CaseRef> Folders(string kind) => new(All(kind));

    /// <summary>The same folders as <see cref="Folders"/>, as a list.</summary>
    public static IReadOnlyList<CaseRef> All(string kind)
    {
        var data = new List<CaseRef>();
        foreach (string root in TestDataPaths.FixtureRoots())
        {
            string kindDir = Path.Combine(root, kind);
            if (!Directory.Exists(kindDir)) continue;
            foreach (string dir in Directory.EnumerateDirectories(kindDir).OrderBy(d => d, StringComparer.Ordinal))
                if (File.Exists(Path.Combine(dir, "meta.json")))
                    data.Add(new CaseRef(Path.GetFullPath(dir)));
        }
        return data;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var value in _io.Values)
            (value as IDisposable)?.Dispose();
    }
}
