using System.Globalization;
using System.Text.Json;
using Norton.Training.Corpus;

namespace Norton.Training.Tests.Sampling;

/// <summary>One <c>sampler_overlapped</c> golden file, parsed (format: the folder's README).</summary>
internal sealed class SamplerGoldenCase
{
    private SamplerGoldenCase(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    public ulong Seed => ulong.Parse(Root.GetProperty("rng").GetProperty("seed").GetString()!, CultureInfo.InvariantCulture);

    public static SamplerGoldenCase Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        return new SamplerGoldenCase(doc.RootElement.Clone());
    }

    public IReadOnlyList<CorpusVideo> Videos() => Root.GetProperty("videos").EnumerateArray().Select(v =>
    {
        var rows = v.GetProperty("features").EnumerateArray().Select(r => r.EnumerateArray().Select(x => (float)x.GetDouble()).ToArray()).ToArray();
        return new CorpusVideo(
            v.GetProperty("id").GetString()!,
            rows.SelectMany(r => r).ToArray(),
            rows[0].Length,
            v.GetProperty("start").EnumerateArray().Select(x => x.GetDouble()).ToArray(),
            v.GetProperty("end").EnumerateArray().Select(x => x.GetDouble()).ToArray(),
            v.GetProperty("caps").EnumerateArray().Select(c => c.EnumerateArray().Select(x => x.GetInt32()).ToArray()).ToArray());
    }).ToArray();

    /// <summary>The draw log as "randint a b r" / "random x" lines.</summary>
    public IReadOnlyList<string> Draws() => Root.GetProperty("draws").EnumerateArray().Select(d =>
    {
        var items = d.EnumerateArray().ToArray();
        return items[0].GetString() == "randint"
            ? $"randint {items[1].GetInt64()} {items[2].GetInt64()} {items[3].GetInt64()}"
            : "random " + items[1].GetDouble().ToString("R", CultureInfo.InvariantCulture);
    }).ToArray();

    public T[] Expected<T>(string key, Func<JsonElement, T> read) => Flatten(Root.GetProperty("expected").GetProperty(key)).Select(read).ToArray();

    private static IEnumerable<JsonElement> Flatten(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().SelectMany(Flatten) : new[] { e };
}
