using System.Globalization;
using System.Text.Json;

namespace Norton.Evaluation.Data;

/// <summary>
/// Reads <c>COIN.json</c> as the original's <c>COINActionSegmentationMetaProcessor</c>: the step names come from
/// the testing subset; label k's text is at index k−1 ("none" for an id that never occurs there).
/// </summary>
public sealed class CoinAnnotations
{
    private CoinAnnotations(IReadOnlyList<string> textLabels, IReadOnlyList<CoinVideo> videos)
    {
        TextLabels = textLabels;
        Videos = videos;
    }

    /// <summary>The step names, label 1 first.</summary>
    public IReadOnlyList<string> TextLabels { get; }

    /// <summary>All videos, in file order.</summary>
    public IReadOnlyList<CoinVideo> Videos { get; }

    /// <summary>Reads the file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Malformed JSON or entries; the message names the file and video.</exception>
    public static CoinAnnotations Read(string path)
    {
        using JsonDocument doc = JsonFiles.Parse(path);
        if (!doc.RootElement.TryGetProperty("database", out JsonElement database) || database.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: expected an object with a 'database' object.");
        var videos = new List<CoinVideo>();
        var names = new SortedDictionary<int, string>();
        foreach (JsonProperty video in database.EnumerateObject())
        {
            string subset = video.Value.TryGetProperty("subset", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "";
            if (!video.Value.TryGetProperty("annotation", out JsonElement annotation) || annotation.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{path}: video {video.Name} has no 'annotation' list.");
            var segments = new List<CoinSegment>();
            int k = 0;
            foreach (JsonElement a in annotation.EnumerateArray())
            {
                if (!a.TryGetProperty("segment", out JsonElement seg) || seg.ValueKind != JsonValueKind.Array || seg.GetArrayLength() != 2
                    || !a.TryGetProperty("id", out JsonElement id) || !TryLabel(id, out int label) || label < 1)
                    throw new InvalidDataException($"{path}: video {video.Name}, annotation {k}: expected 'segment' [start, end] and an 'id' ≥ 1.");
                segments.Add(new CoinSegment(seg[0].GetDouble(), seg[1].GetDouble(), label));
                if (subset == "testing" && a.TryGetProperty("label", out JsonElement name) && name.ValueKind == JsonValueKind.String)
                    names[label] = name.GetString()!;
                k++;
            }
            videos.Add(new CoinVideo(video.Name, subset, segments));
        }
        int count = names.Count == 0 ? 0 : names.Keys.Max();
        var labels = Enumerable.Repeat("none", count).ToArray();
        foreach (var (label, name) in names) labels[label - 1] = name;
        return new CoinAnnotations(labels, videos);
    }

    private static bool TryLabel(JsonElement id, out int label)
    {
        label = 0;
        return id.ValueKind switch
        {
            JsonValueKind.String => int.TryParse(id.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out label),
            JsonValueKind.Number => id.TryGetInt32(out label),
            _ => false,
        };
    }
}
