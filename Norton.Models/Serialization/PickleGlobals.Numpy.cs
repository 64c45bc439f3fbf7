using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Norton.Models.Serialization;

/// <summary>The numpy part of the allow-list: dtypes, arrays (<c>_reconstruct</c> + BUILD, <c>_frombuffer</c>), scalars.</summary>
internal sealed partial class PickleGlobals
{
    private NumpyDTypeRef NumpyDTypeFrom(object?[] args)
    {
        if (args is not [string text, ..]) throw input.Error("numpy.dtype expects a type string such as 'f4'");
        var parsed = NumpyDType.Parse(text) ?? throw input.Error($"numpy dtype '{text}' is not supported (bool, int, uint, float, complex, U, S, O)");
        return new NumpyDTypeRef(parsed.Type, parsed.BigEndian, text);
    }

    private NumpyDTypeRef DTypeOf(object? value, string where) =>
        value as NumpyDTypeRef ?? throw input.Error($"{where} expects a numpy dtype, found a {PickleMachine.Describe(value)}");

    private void FillArray(NumpyArray array, object? state)
    {
        // (version, shape, dtype, is_fortran, raw data), or the 4-tuple of old numpy without the version.
        if (state is not object?[] s || s.Length is not (4 or 5)) throw input.Error($"numpy array state: expected a 4- or 5-tuple, found {PickleMachine.Describe(state)}");
        if (s.Length == 5) s = s[1..];
        var shape = Shape(s[0], "numpy array state");
        var dtype = DTypeOf(s[1], "numpy array state");
        bool fortran = s[2] is true;
        Fill(array, dtype, shape, fortran, s[3]);
    }

    private NumpyArray NumpyFromBuffer(object?[] args)
    {
        if (args.Length != 4) throw input.Error($"numpy _frombuffer expects (buffer, dtype, shape, order), got {args.Length} arguments");
        var dtype = DTypeOf(args[1], "_frombuffer");
        if (dtype.Type.Kind == 'O') throw input.Error("_frombuffer of an object array");
        var array = new NumpyArray();
        Fill(array, dtype, Shape(args[2], "_frombuffer"), args[3] is "F", args[0]);
        return array;
    }

    private void Fill(NumpyArray array, NumpyDTypeRef dtype, long[] shape, bool fortran, object? raw)
    {
        var type = dtype.Type;
        long count = NumpyArray.CountOf(shape) ?? throw input.Error($"numpy array shape ({string.Join(", ", shape)}) is negative or overflows");
        if (type.Kind == 'O')
        {
            if (raw is not List<object?> items || items.Count != count)
                throw input.Error($"numpy object array of {count} items: expected a list of {count} items, found {PickleMachine.Describe(raw)}");
            var objects = fortran ? NumpyArray.FortranToC(items.ToArray(), shape, 1) : items.ToArray();
            array.SetContents(type, shape, [], objects);
            return;
        }
        byte[] bytes = raw switch
        {
            byte[] b => b,
            string s when s.All(c => c <= 0xFF) => Encoding.Latin1.GetBytes(s),
            _ => throw input.Error($"numpy array data: expected bytes, found {PickleMachine.Describe(raw)}"),
        };
        long expected;
        try { expected = checked(count * type.ItemSize); }
        catch (OverflowException) { throw input.Error($"numpy array shape ({string.Join(", ", shape)}) of {type} overflows"); }
        if (bytes.Length != expected)
            throw input.Error($"numpy array of shape ({string.Join(", ", shape)}) and dtype {type} needs {expected} bytes, found {bytes.Length}");
        if (dtype.BigEndian) NumpyArray.SwapToLittleEndian(bytes, type);
        if (fortran && type.ItemSize > 0) bytes = NumpyArray.FortranToC(bytes, shape, type.ItemSize);
        array.SetContents(type, shape, bytes, null);
    }

    private object? NumpyScalar(object?[] args)
    {
        if (args.Length is < 1 or > 2) throw input.Error("numpy scalar expects (dtype, data)");
        var dtype = DTypeOf(args[0], "numpy scalar");
        var type = dtype.Type;
        if (type.Kind == 'O') return args.Length > 1 ? args[1] : null;
        byte[] raw = args.Length > 1 ? args[1] switch
        {
            byte[] b => (byte[])b.Clone(),
            string s when s.All(c => c <= 0xFF) => Encoding.Latin1.GetBytes(s),
            var other => throw input.Error($"numpy scalar data: expected bytes, found {PickleMachine.Describe(other)}"),
        } : [];
        if (raw.Length != type.ItemSize) throw input.Error($"numpy scalar of dtype {type} needs {type.ItemSize} bytes, found {raw.Length}");
        if (dtype.BigEndian) NumpyArray.SwapToLittleEndian(raw, type);
        return type.Kind switch
        {
            'b' => raw[0] != 0,
            'i' => type.ItemSize switch { 1 => (long)(sbyte)raw[0], 2 => BinaryPrimitives.ReadInt16LittleEndian(raw), 4 => BinaryPrimitives.ReadInt32LittleEndian(raw), _ => BinaryPrimitives.ReadInt64LittleEndian(raw) },
            'u' => type.ItemSize switch
            {
                1 => (long)raw[0],
                2 => BinaryPrimitives.ReadUInt16LittleEndian(raw),
                4 => BinaryPrimitives.ReadUInt32LittleEndian(raw),
                _ => PickleText.Normalise(new BigInteger(BinaryPrimitives.ReadUInt64LittleEndian(raw))),
            },
            'f' => type.ItemSize switch { 2 => (double)BinaryPrimitives.ReadHalfLittleEndian(raw), 4 => BinaryPrimitives.ReadSingleLittleEndian(raw), _ => BinaryPrimitives.ReadDoubleLittleEndian(raw) },
            'c' => type.ItemSize == 8
                ? new Complex(BinaryPrimitives.ReadSingleLittleEndian(raw), BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(4)))
                : new Complex(BinaryPrimitives.ReadDoubleLittleEndian(raw), BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan(8))),
            _ => new NumpyArray(type, [], raw).ToStrings()[0] is var text && type.Kind == 'S' ? Encoding.Latin1.GetBytes(text) : text,
        };
    }

    private long[] Shape(object? value, string where)
    {
        if (value is long single) value = new object?[] { single };
        if (value is not object?[] dims) throw input.Error($"{where}: expected a shape tuple, found {PickleMachine.Describe(value)}");
        var shape = new long[dims.Length];
        for (int i = 0; i < dims.Length; i++)
            shape[i] = dims[i] is long d && d >= 0 ? d : throw input.Error($"{where}: shape entries must be non-negative integers");
        return shape;
    }
}
