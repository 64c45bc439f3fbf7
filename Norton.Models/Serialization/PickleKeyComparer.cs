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

    // Hostile pickles can nest tuples and frozensets arbitrarily deep: comparison and hashing look at most this deep
    // (below it, equality is by reference and the hash ignores the rest), so they never recurse without bound.
    private const int MaxDepth = 64;

    /// <inheritdoc />
    public new bool Equals(object? x, object? y) => Equal(x, y, 0);

    /// <inheritdoc />
    public int GetHashCode(object obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return Hash(obj, 0);
    }

    private bool Equal(object? x, object? y, int depth)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null || depth >= MaxDepth) return false;
        return (x, y) switch
        {
            (object?[] a, object?[] b) => a.Length == b.Length && a.Zip(b).All(p => Equal(p.First, p.Second, depth + 1)),
            (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
            (HashSet<object> a, HashSet<object> b) => a.Count == b.Count && SetEqual(a, b, depth + 1),
            (string or long or double or bool or System.Numerics.BigInteger, _) => x.Equals(y),
            _ => false,
        };
    }

    private bool SetEqual(HashSet<object> a, HashSet<object> b, int depth)
    {
        // Bucket b's items by this depth's hash once: linear, and without restarting the depth count.
        var buckets = b.ToLookup(item => Hash(item, depth));
        return a.All(item => buckets[Hash(item, depth)].Any(other => Equal(item, other, depth)));
    }

    private static int Hash(object obj, int depth)
    {
        if (depth >= MaxDepth) return 0;
        switch (obj)
        {
            case object?[] tuple:
                var hash = new HashCode();
                foreach (object? item in tuple) hash.Add(item is null ? 0 : Hash(item, depth + 1));
                return hash.ToHashCode();
            case byte[] bytes:
                var b = new HashCode();
                b.AddBytes(bytes);
                return b.ToHashCode();
            case HashSet<object> set:
                int h = set.Count;
                foreach (object item in set) h ^= Hash(item, depth + 1);
                return h;
            case string or long or double or bool or System.Numerics.BigInteger:
                return obj.GetHashCode();
            default:
                return System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }
    }

    internal static bool IsHashable(object key) => key is not (IList and not object?[]) and not IDictionary;
}
