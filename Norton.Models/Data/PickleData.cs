using System.Collections;
using System.Numerics;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;

namespace Norton.Models.Data;

/// <summary>
/// Loads Python pickles that hold only plain data: dict, list, tuple, str, bytes, int, float, bool and None.
/// No Python code runs (this is .NET), and any pickled object of another class is refused.
/// </summary>
/// <remarks>
/// Decoding uses Razorvine.Pickle (already a dependency through TorchSharp.PyBridge), all protocols up to 5. The
/// result is normalised to <see cref="Dictionary{TKey,TValue}"/> (keys: string, long, …), <see cref="List{T}"/>,
/// string, byte[], long, double, bool and null.
/// </remarks>
internal static class PickleData
{
    /// <summary>Loads and normalises a pickle file.</summary>
    /// <exception cref="InvalidDataException">Not a pickle, truncated, or a non-plain object inside.</exception>
    public static object? Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        object? raw;
        try
        {
            using var unpickler = new Unpickler();
            raw = unpickler.load(stream);
        }
        catch (Exception e) when (e is PickleException or InvalidOperationException or IOException or ArgumentException
                                      or InvalidCastException or IndexOutOfRangeException or NotSupportedException)
        {
            throw new InvalidDataException($"{path}: not a readable pickle of plain data: {e.Message}", e);
        }
        return Normalise(raw, path, "root");
    }

    private static object? Normalise(object? value, string path, string where) => value switch
    {
        null => null,
        string or bool or double => value,
        byte[] b => b,
        int i => (long)i,
        long l => l,
        BigInteger big when big >= long.MinValue && big <= long.MaxValue => (long)big,
        ClassDict cd => throw new InvalidDataException(
            $"{path}: {where} is a pickled Python object of class {cd.ClassName}; only plain dict/list/tuple/str/int/float/bool/None are supported."),
        IDictionary dict => NormaliseDictionary(dict, path, where),
        IList list => list.Cast<object?>().Select((x, k) => Normalise(x, path, $"{where}[{k}]")).ToList(),
        _ => throw new InvalidDataException(
            $"{path}: {where} has the unsupported type {value.GetType().Name}; only plain dict/list/tuple/str/int/float/bool/None are supported."),
    };

    private static Dictionary<object, object?> NormaliseDictionary(IDictionary dict, string path, string where)
    {
        var result = new Dictionary<object, object?>(dict.Count);
        foreach (DictionaryEntry entry in dict)
        {
            object key = Normalise(entry.Key, path, $"a key of {where}") ?? throw new InvalidDataException($"{path}: {where} has a None key.");
            if (key is not (string or long or double or bool))
                throw new InvalidDataException($"{path}: {where} has a key of type {key.GetType().Name}; expected str or int.");
            result[key] = Normalise(entry.Value, path, key is string text ? $"{where}['{text}']" : $"{where}[{key}]");
        }
        return result;
    }
}
