namespace Norton.Models.Serialization;

/// <summary>Limits and policy of <see cref="PickleReader"/>. Immutable; every limit is checked before allocating.</summary>
/// <param name="Strict">Fail on the first global that is not on the allow-list (argparse.Namespace, fairseq meters,
/// <c>os.system</c>, …) instead of keeping it as an inert <see cref="PickleObject"/>.</param>
/// <param name="MaxMemoEntries">Most memo entries (PUT/MEMOIZE) one pickle may make.</param>
/// <param name="MaxDepth">Deepest nesting of marks and of containers (lists, dicts, tuples, objects) in the result.</param>
/// <param name="MaxStackItems">Most values on the pickle machine's stack at once.</param>
public sealed record PickleReaderOptions(
    bool Strict = false,
    int MaxMemoEntries = 10_000_000,
    int MaxDepth = 1_000,
    int MaxStackItems = 10_000_000)
{
    /// <summary>The defaults: inert placeholders for unknown globals, generous limits.</summary>
    public static PickleReaderOptions Default { get; } = new();

    /// <summary>Checks the limits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit below 1.</exception>
    internal PickleReaderOptions Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMemoEntries, 1, nameof(MaxMemoEntries));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDepth, 1, nameof(MaxDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxStackItems, 1, nameof(MaxStackItems));
        return this;
    }
}
