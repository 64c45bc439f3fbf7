using System.Text.Json;

namespace Norton.Evaluation.Data;

/// <summary>Reads <c>htm_align.json</c>: <c>{video id: [[alignable 0/1, start, end, text], ...]}</c>.</summary>
public static class HtmAlignAnnotations
{
    /// <summary>Reads every video, sorted by id (ordinal, as the original's <c>sorted(keys)</c>).</summary>
    /// <exception cref="InvalidDataException">Malformed JSON or entries; the message names the file, video and entry.</exception>
    public static IReadOnlyList<HtmAlignVideo> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{path}: expected an object of video id -> entries, found {doc.RootElement.ValueKind}.");
            return doc.RootElement.EnumerateObject()
                .Select(v => new HtmAlignVideo(v.Name, Segments(v.Value, path, v.Name)))
                .OrderBy(v => v.VideoId, StringComparer.Ordinal)
                .ToArray();
        }
    }

    private static HtmAlignSegment[] Segments(JsonElement entries, string path, string videoId)
    {
        if (entries.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{path}: video {videoId}: expected a list of entries, found {entries.ValueKind}.");
        return entries.EnumerateArray().Select((e, i) =>
        {
            if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 4
                || e[0].ValueKind != JsonValueKind.Number || e[1].ValueKind != JsonValueKind.Number
                || e[2].ValueKind != JsonValueKind.Number || e[3].ValueKind != JsonValueKind.String)
                throw new InvalidDataException(
                    $"{path}: video {videoId}, entry {i}: expected [alignable, start, end, text], found {e.GetRawText()}.");
            return new HtmAlignSegment(e[0].GetDouble() != 0, e[1].GetDouble(), e[2].GetDouble(), e[3].GetString()!);
        }).ToArray();
    }
}
