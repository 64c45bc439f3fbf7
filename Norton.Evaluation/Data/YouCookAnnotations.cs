using System.Text.Json;

namespace Norton.Evaluation.Data;

/// <summary>Reads <c>youcookii_annotations_trainval.json</c>: <c>database → video → annotations[k]</c>.</summary>
public static class YouCookAnnotations
{
    /// <summary>Every video's steps, in file order.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Malformed JSON or entries; the message names the file and video.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<YouCookStep>> Read(string path)
    {
        using JsonDocument doc = JsonFiles.Parse(path);
        if (!doc.RootElement.TryGetProperty("database", out JsonElement database) || database.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: expected an object with a 'database' object.");
        var videos = new Dictionary<string, IReadOnlyList<YouCookStep>>(StringComparer.Ordinal);
        foreach (JsonProperty video in database.EnumerateObject())
        {
            if (!video.Value.TryGetProperty("annotations", out JsonElement annotations) || annotations.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{path}: video {video.Name} has no 'annotations' list.");
            videos[video.Name] = annotations.EnumerateArray().Select((a, k) =>
            {
                if (!a.TryGetProperty("segment", out JsonElement seg) || seg.ValueKind != JsonValueKind.Array || seg.GetArrayLength() != 2
                    || !a.TryGetProperty("sentence", out JsonElement sentence) || sentence.ValueKind != JsonValueKind.String)
                    throw new InvalidDataException($"{path}: video {video.Name}, annotation {k}: expected 'segment' [start, end] and 'sentence'.");
                return new YouCookStep((int)seg[0].GetDouble(), (int)seg[1].GetDouble(), sentence.GetString()!);
            }).ToArray();
        }
        return videos;
    }
}
