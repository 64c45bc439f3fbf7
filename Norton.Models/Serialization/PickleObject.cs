namespace Norton.Models.Serialization;

/// <summary>
/// An inert placeholder for a call or an instance that the reader does not rebuild (an argparse.Namespace, a fairseq
/// meter, a call of <c>os.system</c>, …): it records what the pickle asked for and runs nothing.
/// </summary>
public sealed class PickleObject
{
    internal PickleObject(PickleGlobal callable, IReadOnlyList<object?> arguments)
    {
        Callable = callable;
        Arguments = arguments;
    }

    /// <summary>The class or function the pickle names.</summary>
    public PickleGlobal Callable { get; }

    /// <summary>The arguments of the call (REDUCE, NEWOBJ, INST, OBJ), as read.</summary>
    public IReadOnlyList<object?> Arguments { get; }

    /// <summary>The state set by BUILD (usually the instance's <c>__dict__</c>), or null.</summary>
    public object? State { get; internal set; }

    /// <summary>Items appended to the object (a list subclass), in order.</summary>
    public List<object?> ListItems { get; } = [];

    /// <summary>Items set on the object (a dict subclass such as fairseq's <c>MetersDict</c>), in order.</summary>
    public Dictionary<object, object?> DictItems { get; } = new(PickleKeyComparer.Instance);

    /// <summary>The state as a dictionary of attributes, when BUILD gave a dict (or a (dict, slots) pair).</summary>
    public IReadOnlyDictionary<object, object?>? Attributes => State switch
    {
        Dictionary<object, object?> d => d,
        object?[] { Length: 2 } pair when pair[0] is Dictionary<object, object?> d => d,
        _ => null,
    };

    /// <inheritdoc />
    public override string ToString() => $"<{Callable.FullName}(…) placeholder>";
}
