using Norton.Models.Data;
using static TorchSharp.torch;

namespace Norton.Models.Serialization;

/// <summary>
/// A numpy dtype as the readers understand it: a kind (<c>b</c> bool, <c>i</c>/<c>u</c> integers, <c>f</c> floats,
/// <c>c</c> complex, <c>U</c> UTF-32 strings, <c>S</c> byte strings, <c>O</c> Python objects) and an item size.
/// The data of a <see cref="NumpyArray"/> is always little-endian, whatever the file's byte order was.
/// </summary>
/// <param name="Kind">numpy's kind character.</param>
/// <param name="ItemSize">Bytes per element (0 for objects).</param>
public sealed record NumpyDType(char Kind, int ItemSize)
{
    /// <summary>numpy's <c>descr</c> of the little-endian form, e.g. <c>&lt;f4</c>, <c>|b1</c>, <c>&lt;U5</c>, <c>|O</c>.</summary>
    public string Descr => Kind switch
    {
        'O' => "|O",
        'U' => $"<U{ItemSize / 4}",
        'S' => $"|S{ItemSize}",
        _ => (ItemSize == 1 ? "|" : "<") + Kind + ItemSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The matching <see cref="NpyElementType"/>, or null (complex, unsigned wider than a byte, strings, objects).</summary>
    public NpyElementType? ElementType => NpyElementTypes.Parse(Descr);

    /// <summary>The matching TorchSharp type, or null where TorchSharp has none.</summary>
    public ScalarType? TorchType => (Kind, ItemSize) switch
    {
        ('c', 8) => ScalarType.ComplexFloat32,
        ('c', 16) => ScalarType.ComplexFloat64,
        _ => ElementType?.ToScalarType(),
    };

    /// <inheritdoc />
    public override string ToString() => Descr;

    /// <summary>Parses a numpy type string such as <c>&lt;f4</c>, <c>f8</c>, <c>|u1</c>, <c>&gt;i4</c>, <c>U5</c>, <c>O8</c>.</summary>
    /// <returns>The dtype and whether the data is big-endian; null when the string is not a supported dtype.</returns>
    internal static (NumpyDType Type, bool BigEndian)? Parse(string text, char? byteOrder = null)
    {
        if (text.Length == 0) return null;
        char order = byteOrder ?? '=';
        string rest = text;
        if (text[0] is '<' or '>' or '|' or '=')
        {
            order = text[0];
            rest = text[1..];
        }
        if (rest.Length == 0) return null;
        char kind = rest[0];
        int size = 0;
        if (rest.Length > 1 && !int.TryParse(rest.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size))
            return null;
        (NumpyDType, bool)? Make(int itemSize) => (new NumpyDType(kind, itemSize), order == '>' && itemSize > 1 && kind != 'S');
        return kind switch
        {
            'b' when size is 0 or 1 => Make(1),
            'i' or 'u' when size is 1 or 2 or 4 or 8 => Make(size),
            'f' when size is 2 or 4 or 8 => Make(size),
            'c' when size is 8 or 16 => Make(size),
            'U' when size is >= 0 and < 1 << 24 => (new NumpyDType('U', size * 4), order == '>'),
            'S' when size is >= 0 and < 1 << 26 => Make(size),
            'O' => (new NumpyDType('O', 0), false),
            _ => null,
        };
    }
}
