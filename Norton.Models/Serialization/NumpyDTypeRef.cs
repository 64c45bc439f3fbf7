namespace Norton.Models.Serialization;

/// <summary>
/// A numpy dtype while a pickle builds it: <c>numpy.dtype('f4', False, True)</c> gives the kind and size, the BUILD
/// that follows the byte order (and the item size of string types). Replaced by <see cref="NumpyDType"/> in results.
/// </summary>
internal sealed class NumpyDTypeRef(NumpyDType type, bool bigEndian, string text)
{
    public NumpyDType Type { get; private set; } = type;

    public bool BigEndian { get; private set; } = bigEndian;

    public void SetState(object? state, PickleInput input)
    {
        // (version, byte order, subarray, names, fields, elsize, alignment, flags)
        if (state is not object?[] { Length: >= 6 } s || s[1] is not string order || order.Length != 1)
            throw input.Error($"numpy dtype '{text}': expected the state (version, byte order, …), found {PickleMachine.Describe(state)}");
        if (s[2] is not null || s[3] is not null)
            throw input.Error($"numpy dtype '{text}': structured and sub-array dtypes are not supported");
        var parsed = NumpyDType.Parse(text, order[0]) ?? throw input.Error($"numpy dtype '{text}' with byte order '{order}' is not supported");
        Type = parsed.Type;
        BigEndian = parsed.BigEndian;
        if (Type.Kind is 'U' or 'S' && s[5] is long elsize && elsize >= 0 && elsize < 1 << 26 && (Type.Kind == 'S' || elsize % 4 == 0))
            Type = Type with { ItemSize = (int)elsize };
    }
}
