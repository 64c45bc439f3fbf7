using Norton.Models.Serialization;

namespace Norton.Evaluation.Data;

/// <summary>
/// Reads <c>youcook_val.pkl</c>: a pickled list of dicts with <c>id</c>, <c>caption</c> and numpy arrays. Only the
/// ids and captions are kept. The file goes through the restricted <see cref="NumpyPickle"/> reader, which rebuilds
/// numpy arrays as data and runs no code from the file.
/// </summary>
internal static class YouCookSplit
{
    /// <summary>The records in file order.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a pickle of a list of dicts with a string <c>id</c> of the form
    /// <c>&lt;video&gt;_&lt;k&gt;</c>; the message names the file.</exception>
    public static IReadOnlyList<YouCookRecord> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"YouCook2 split file {path} not found.", path);
        object? root;
        try
        {
            root = NumpyPickle.Load(path);
        }
        catch (SerializedDataException e)
        {
            throw new InvalidDataException($"{path}: not a readable pickle of a list of records: {e.Message}", e);
        }
        if (root is not List<object?> list)
            throw new InvalidDataException($"{path}: expected a pickled list of records, got {root?.GetType().Name ?? "None"}.");
        var records = new List<YouCookRecord>(list.Count);
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is not Dictionary<object, object?> dict || !dict.TryGetValue("id", out object? id) || id is not string text)
                throw new InvalidDataException($"{path}: record {i} is not a dict with a string 'id'.");
            int underscore = text.LastIndexOf('_');
            if (underscore <= 0 || !int.TryParse(text.AsSpan(underscore + 1), out _))
                throw new InvalidDataException($"{path}: record {i} has id '{text}'; expected '<video>_<k>'.");
            records.Add(new YouCookRecord(text, dict.GetValueOrDefault("caption") as string));
        }
        return records;
    }
}
