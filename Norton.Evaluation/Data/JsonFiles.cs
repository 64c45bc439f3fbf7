using System.Text.Json;

namespace Norton.Evaluation.Data;

/// <summary>Opens JSON annotation files with errors that name the file.</summary>
internal static class JsonFiles
{
    public static JsonDocument Parse(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"annotation file {path} not found.", path);
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {e.Message}", e);
        }
    }
}
