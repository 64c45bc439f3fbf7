using System.Text.Json;
using System.Text.Json.Serialization;

namespace Norton.Models.Data;

/// <summary>The JSON shape of one video's captions, before its lists are checked against each other.</summary>
internal sealed class JsonCaptions
{
    public static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new LenientStringListConverter() },
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    [JsonPropertyName("start")] public List<double>? Start { get; set; }

    [JsonPropertyName("end")] public List<double>? End { get; set; }

    [JsonPropertyName("text")] public List<string>? Text { get; set; }

    public VideoCaptions ToCaptions(string path, string videoId)
    {
        if (Start is null || End is null || Text is null)
            throw new InvalidDataException($"{path}: video {videoId}: expected the lists \"start\", \"end\" and \"text\".");
        return Checked(Start.ToArray(), End.ToArray(), Text.ToArray(), path, videoId);
    }

    public static VideoCaptions Checked(double[] start, double[] end, string[] text, string path, string videoId)
    {
        if (start.Length != text.Length || end.Length != text.Length)
            throw new InvalidDataException(
                $"{path}: video {videoId}: {start.Length} starts, {end.Length} ends and {text.Length} texts; they must be equal.");
        return new VideoCaptions(start, end, text);
    }

    /// <summary>Reads a list of strings, taking anything that is not a string as "" (as the original skips it).</summary>
    private sealed class LenientStringListConverter : JsonConverter<List<string>>
    {
        public override List<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
                throw new JsonException($"expected an array of strings, found {reader.TokenType}");
            var list = new List<string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.String)
                    list.Add(reader.GetString()!);
                else
                {
                    reader.Skip();
                    list.Add("");
                }
            }
            return list;
        }

        public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToArray());
    }
}
