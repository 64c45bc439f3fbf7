using System.Text.Json;
using Norton.Models.Data;

namespace Norton.Training.Corpus;

/// <summary>
/// The file <c>norton tokenize-captions</c> writes and <c>norton build-corpus</c> reads (docs/training-data.md):
/// <c>captions.bert-base-uncased.jsonl</c>, one JSON object per line and video,
/// <c>{"video": id, "start": [seconds], "end": [seconds], "ids": [[32 token ids, -1 padded], ...]}</c>, the ids those
/// of <see cref="CaptionPretokenizer"/> (first 96 characters, bert-base-uncased, no special tokens, at most 32), the
/// same rows the corpus's <c>caps_ids</c> shards hold.
/// </summary>
public static class TokenizedCaptionFile
{
    /// <summary>The file's name inside the tokenize output folder.</summary>
    public const string FileName = "captions.bert-base-uncased.jsonl";

    /// <summary>One video's tokenised captions.</summary>
    /// <param name="Video">The video id.</param>
    /// <param name="Start">Caption starts, seconds.</param>
    /// <param name="End">Caption ends, seconds.</param>
    /// <param name="Ids">Per caption, its token ids without the −1 padding.</param>
    public sealed record Entry(string Video, double[] Start, double[] End, int[][] Ids);

    /// <summary>Tokenises every video of <paramref name="captions"/> into <c>folder/captions.bert-base-uncased.jsonl</c>
    /// (through a temporary file, renamed at the end); videos in id order. Returns the file's path.</summary>
    public static string Write(string folder, IReadOnlyDictionary<string, VideoCaptions> captions, CaptionPretokenizer? pretokenizer = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(captions);
        pretokenizer ??= new CaptionPretokenizer();
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName), temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            var newline = "\n"u8.ToArray();
            foreach (var (video, c) in captions.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var ids = c.Text.Select(t =>
                {
                    var row = new int[CaptionPretokenizer.MaxTokens];
                    Array.Fill(row, -1);
                    pretokenizer.Encode(t).CopyTo(row, 0);
                    return row;
                }).ToArray();
                using (var json = new Utf8JsonWriter(stream))
                    JsonSerializer.Serialize(json, new Line { Video = video, Start = c.Start.ToArray(), End = c.End.ToArray(), Ids = ids });
                stream.Write(newline);
            }
        }
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>Reads <paramref name="path"/> (the file, or the folder holding it) line by line.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">A malformed line, lists of different lengths, or an id row of the wrong
    /// width; the message names the file and the line.</exception>
    public static IEnumerable<Entry> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) path = Path.Combine(path, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no tokenized captions (norton tokenize-captions writes {FileName}).", path);
        return ReadLines(path);
    }

    private static IEnumerable<Entry> ReadLines(string path)
    {
        int number = 0;
        foreach (string text in File.ReadLines(path))
        {
            number++;
            if (text.Length == 0) continue;
            Line? line;
            try
            {
                line = JsonSerializer.Deserialize<Line>(text);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}, line {number}: expected {{\"video\", \"start\", \"end\", \"ids\"}}: {e.Message}", e);
            }
            if (line?.Video is null || line.Start is null || line.End is null || line.Ids is null)
                throw new InvalidDataException($"{path}, line {number}: expected the keys video, start, end and ids.");
            if (line.Start.Length != line.End.Length || line.Start.Length != line.Ids.Length)
                throw new InvalidDataException(
                    $"{path}, line {number} (video '{line.Video}'): {line.Start.Length} starts, {line.End.Length} ends and {line.Ids.Length} id rows; they must match.");
            var ids = new int[line.Ids.Length][];
            for (int c = 0; c < ids.Length; c++)
            {
                if (line.Ids[c] is not { Length: CaptionPretokenizer.MaxTokens } row)
                    throw new InvalidDataException(
                        $"{path}, line {number} (video '{line.Video}'), caption {c}: expected {CaptionPretokenizer.MaxTokens} ids (-1 padded), found {line.Ids[c]?.Length ?? 0}.");
                ids[c] = row.Where(id => id != -1).ToArray();
            }
            yield return new Entry(line.Video, line.Start, line.End, ids);
        }
    }

    private sealed class Line
    {
        [System.Text.Json.Serialization.JsonPropertyName("video")] public string? Video { get; set; }
        [System.Text.Json.Serialization.JsonPropertyName("start")] public double[]? Start { get; set; }
        [System.Text.Json.Serialization.JsonPropertyName("end")] public double[]? End { get; set; }
        [System.Text.Json.Serialization.JsonPropertyName("ids")] public int[][]? Ids { get; set; }
    }
}
