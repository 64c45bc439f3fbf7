using System.Collections;

namespace Norton.Models.Serialization;

/// <summary>
/// Key equality of the dictionaries that <see cref="PickleReader"/> returns: by value for strings, numbers, bools,
/// byte strings, tuples (<c>object?[]</c>) and frozensets, as in Python; by reference for everything else.
/// </summary>
public sealed class PickleKeyComparer : IEqualityComparer<object>
{
    private PickleKeyComparer() { }

    /// <summary>The one instance.</summary>
    public static PickleKeyComparer Instance { get; } = new();

    /// <inheritdoc />
    public new bool Equals(object? x, object? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null) return false;
        return (x, y) switch
        {
            (object?[] a, object?[] b) => a.Length == b.Length && a.Zip(b).All(p => p.First is null ? p.Second is null : Equals(p.First, p.Second)),
            (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
            (HashSet<object> a, HashSet<object> b) => a.SetEquals(b),
            (string or long or double or bool or System.Numerics.BigInteger, _) => x.Equals(y),
            _ => false,
        };
    }

    /// <inheritdoc />
    public int GetHashCode(object obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        switch (obj)
        {
            case object?[] tuple:
                var hash = new HashCode();
                foreach (object? item in tuple) hash.Add(item is null ? 0 : GetHashCode(item));
                return hash.ToHashCode();
            case byte[] bytes:
                var b = new HashCode();
                b.AddBytes(bytes);
                return b.ToHashCode();
            case HashSet<object> set:
                int h = 0;
                foreach (object item in set) h ^= GetHashCode(item);
                return h;
            case string or long or double or bool or System.Numerics.BigInteger:
                return obj.GetHashCode();
            default:
                return System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }
    }

    internal static bool IsHashable(object key) => key is not (IList and not object?[]) and not IDictionary;
}
