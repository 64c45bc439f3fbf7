using System.Text.Json;

namespace Norton.Models.Data;

/// <summary>
/// Reads the HowTo100M caption file the original trains on (docs/original-model.md §3.1): TAN's
/// <c>sentencified_htm_1200k.json</c>, <c>{video id: {"start": [...], "end": [...], "text": [...]}}</c>, or the
/// pickle the original converts it to (a dict from video id to that per-video object as a JSON string).
/// </summary>
/// <remarks>
/// Pickle support: plain-data pickles only (dict/list/tuple/str/int/float/bool/None, any protocol up to 5): the values
/// may be JSON strings (the original's <c>convert_to_pickle</c>) or dicts with the same three lists. Pickles that
/// contain Python class instances are refused; nothing is executed.
/// </remarks>
public static class SentencifiedCaptions
{
    /// <summary>Reads a .json or .pkl caption file, chosen by extension.</summary>
    /// <exception cref="InvalidDataException">Malformed file; the message names the file and the video.</exception>
    public static Dictionary<string, VideoCaptions> Read(string path) =>
        Path.GetExtension(path).Equals(".pkl", StringComparison.OrdinalIgnoreCase) ? ReadPickle(path) : ReadJson(path);

    /// <summary>Reads the JSON form, streaming the file.</summary>
    /// <exception cref="InvalidDataException">Malformed JSON or a video whose lists differ in length.</exception>
    public static Dictionary<string, VideoCaptions> ReadJson(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        Dictionary<string, JsonCaptions>? raw;
        try
        {
            raw = JsonSerializer.Deserialize<Dictionary<string, JsonCaptions>>(stream, JsonCaptions.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(
                $"{path}: expected {{video id: {{\"start\": [numbers], \"end\": [numbers], \"text\": [strings]}}}}: {e.Message}", e);
        }
        if (raw is null)
            throw new InvalidDataException($"{path}: expected a JSON object of videos, found null.");
        return raw.ToDictionary(kv => kv.Key, kv => kv.Value.ToCaptions(path, kv.Key), StringComparer.Ordinal);
    }

    /// <summary>Reads the pickle form.</summary>
    /// <exception cref="InvalidDataException">Not a plain-data pickle of the expected layout.</exception>
    public static Dictionary<string, VideoCaptions> ReadPickle(string path)
    {
        if (PlainPickle.Load(path) is not Dictionary<object, object?> top)
            throw new InvalidDataException($"{path}: expected a pickled dict of video id -> captions.");
        var result = new Dictionary<string, VideoCaptions>(top.Count, StringComparer.Ordinal);
        foreach (var (key, value) in top)
        {
            if (key is not string videoId)
                throw new InvalidDataException($"{path}: expected string video ids, found a {key.GetType().Name} key '{key}'.");
            result[videoId] = value switch
            {
                string json => FromJsonString(json, path, videoId),
                Dictionary<object, object?> dict => FromDictionary(dict, path, videoId),
                _ => throw new InvalidDataException(
                    $"{path}: video {videoId}: expected a JSON string or a dict with start/end/text, found {value?.GetType().Name ?? "None"}."),
            };
        }
        return result;
    }

    private static VideoCaptions FromJsonString(string json, string path, string videoId)
    {
        try
        {
            JsonCaptions? raw = JsonSerializer.Deserialize<JsonCaptions>(json, JsonCaptions.Options);
            return (raw ?? throw new InvalidDataException($"{path}: video {videoId}: the JSON string is null.")).ToCaptions(path, videoId);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: video {videoId}: malformed caption JSON: {e.Message}", e);
        }
    }

    private static VideoCaptions FromDictionary(Dictionary<object, object?> dict, string path, string videoId)
    {
        List<object?> Field(string name) =>
            dict.TryGetValue(name, out object? v) && v is IList<object?> list
                ? list.ToList()
                : throw new InvalidDataException($"{path}: video {videoId}: expected a list '{name}'.");
        double Number(object? x, string name) => x switch
        {
            double d => d,
            long l => l,
            _ => throw new InvalidDataException($"{path}: video {videoId}: '{name}' holds {x?.GetType().Name ?? "None"}, expected numbers."),
        };
        var start = Field("start").Select(x => Number(x, "start")).ToArray();
        var end = Field("end").Select(x => Number(x, "end")).ToArray();
        var text = Field("text").Select(x => x as string ?? "").ToArray();
        return JsonCaptions.Checked(start, end, text, path, videoId);
    }
}
