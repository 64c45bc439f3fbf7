using Norton.Core.Validation;
namespace Norton.Models.Serialization;

/// <summary>
/// Reads pickles of plain data and numpy arrays, such as the downstream splits (<c>youcook_val.pkl</c>: a list of
/// dicts with ids, captions and numpy arrays) and the corpus's <c>*_meta.pkl</c> (<c>{shard: [video ids]}</c>).
/// Nothing in the file runs; any other Python object is refused with its place in the data.
/// </summary>
/// <remarks>Values are those of <see cref="PickleReader"/>: dictionaries, lists, tuples (<c>object?[]</c>), sets, strings,
/// byte[], long/<see cref="System.Numerics.BigInteger"/>, double, bool, null, <see cref="System.Numerics.Complex"/>,
/// <see cref="NumpyArray"/> and <see cref="NumpyDType"/>.</remarks>
public static class NumpyPickle
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="SerializedDataException">Not a readable pickle, or a Python object other than plain data and numpy arrays
    /// (the message says where, e.g. <c>root[2]['meters']</c>, and which class).</exception>
    public static object? Load(string path, PickleReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Guard.FileExists(path, "pickle file");
        using var stream = File.OpenRead(path);
        return Load(stream, path, options);
    }

    /// <summary>Reads a pickle from <paramref name="stream"/>.</summary>
    /// <exception cref="SerializedDataException">See <see cref="Load(string, PickleReaderOptions?)"/>.</exception>
    public static object? Load(Stream stream, string sourceName, PickleReaderOptions? options = null)
    {
        object? value = PickleReader.Read(stream, options, sourceName);
        CheckPlain(value, sourceName);
        return value;
    }

    /// <summary>Refuses placeholders (breadth first, no recursion; the reader has already refused cycles).</summary>
    private static void CheckPlain(object? root, string source)
    {
        var queue = new Queue<(object? Value, string Where)>();
        queue.Enqueue((root, "root"));
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        while (queue.Count > 0)
        {
            var (value, where) = queue.Dequeue();
            if (value is null || value is string || !seen.Add(value)) continue;
            switch (value)
            {
                case PickleObject o:
                    throw new SerializedDataException(source, $"{where} is a pickled Python object of class {o.Callable.FullName}; only plain data (dict/list/tuple/str/int/float/bool/None) and numpy arrays are read.");
                case PickleGlobal g:
                    throw new SerializedDataException(source, $"{where} is the Python global {g.FullName}; only plain data and numpy arrays are read.");
                case Dictionary<object, object?> dict:
                    foreach (var (k, v) in dict)
                    {
                        queue.Enqueue((k, $"a key of {where}"));
                        queue.Enqueue((v, k is string text ? $"{where}['{text}']" : $"{where}[{k}]"));
                    }
                    break;
                case List<object?> list:
                    for (int i = 0; i < list.Count; i++) queue.Enqueue((list[i], $"{where}[{i}]"));
                    break;
                case object?[] tuple:
                    for (int i = 0; i < tuple.Length; i++) queue.Enqueue((tuple[i], $"{where}[{i}]"));
                    break;
                case HashSet<object> set:
                    foreach (object item in set) queue.Enqueue((item, $"an item of {where}"));
                    break;
                case NumpyArray { Objects: { } items }:
                    for (int i = 0; i < items.Count; i++) queue.Enqueue((items[i], $"{where}.flat[{i}]"));
                    break;
            }
        }
    }
}
