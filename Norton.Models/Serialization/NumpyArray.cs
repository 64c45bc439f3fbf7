using Norton.Core.Validation;
using System.Runtime.InteropServices;
using System.Text;
using static TorchSharp.torch;

namespace Norton.Models.Serialization;

/// <summary>
/// A numpy array read from a pickle, an <c>.npy</c> or an <c>.npz</c>: its dtype, shape and C-ordered little-endian
/// bytes (Fortran-ordered and big-endian arrays are converted on reading), or its items for object arrays.
/// </summary>
public sealed class NumpyArray
{
    private NumpyDType? _dtype;
    private long[] _shape = [];
    private byte[] _bytes = [];
    private object?[]? _objects;

    /// <summary>An array filled in later by <see cref="SetContents"/> (numpy's <c>_reconstruct</c> then BUILD).</summary>
    internal NumpyArray() { }

    /// <summary>Creates an array; <paramref name="bytes"/> must hold exactly count × item size bytes in C order.</summary>
    /// <exception cref="ArgumentException">Sizes that do not fit.</exception>
    public NumpyArray(NumpyDType dtype, IReadOnlyList<long> shape, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(dtype);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(bytes);
        if (dtype.Kind == 'O') throw Guard.Argument(nameof(dtype), "not be an object dtype (object arrays hold items, not bytes)", "its kind is 'O'");
        long count = CountOf(shape) ?? throw Guard.Argument(nameof(shape), "have non-negative sizes whose product fits a long", $"is ({string.Join(", ", shape.ToArray())})");
        if (checked(count * dtype.ItemSize) != bytes.Length)
            throw Guard.Argument(nameof(bytes), $"hold the {count * dtype.ItemSize} bytes of shape ({string.Join(", ", shape.ToArray())}) of {dtype}", $"holds {bytes.Length}");
        SetContents(dtype, shape.ToArray(), bytes, null);
    }

    /// <summary>The element type.</summary>
    public NumpyDType DType => _dtype ?? throw new InvalidOperationException("the array was never filled in.");

    /// <summary>The shape; empty for a 0-d array.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>Number of elements.</summary>
    public long Count => CountOf(_shape) ?? 0;

    /// <summary>The raw data, C order, little-endian (empty for object arrays).</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>The items of an object array (dtype <c>O</c>) in C order; null for other dtypes.</summary>
    public IReadOnlyList<object?>? Objects => _objects;

    internal bool IsFilled => _dtype is not null;

    internal void SetContents(NumpyDType dtype, long[] shape, byte[] bytes, object?[]? objects)
    {
        _dtype = dtype;
        _shape = shape;
        _bytes = bytes;
        _objects = objects;
    }

    /// <summary>The elements as a flat .NET array in C order, e.g. <c>ToArray&lt;float&gt;()</c> for <c>&lt;f4</c>.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/>'s size differs from the item size, or an object/string array.</exception>
    public T[] ToArray<T>() where T : unmanaged
    {
        if (DType.Kind is 'O' or 'U' or 'S' || System.Runtime.CompilerServices.Unsafe.SizeOf<T>() != DType.ItemSize)
            throw new InvalidOperationException($"a {DType} array cannot be read as {typeof(T).Name}.");
        return MemoryMarshal.Cast<byte, T>(_bytes).ToArray();
    }

    /// <summary>The elements of a string array (<c>U</c> or <c>S</c>) in C order, trailing NULs removed as numpy does.</summary>
    /// <exception cref="InvalidOperationException">Not a string array.</exception>
    public string[] ToStrings()
    {
        if (DType.Kind is not ('U' or 'S')) throw new InvalidOperationException($"a {DType} array holds no strings.");
        int size = DType.ItemSize;
        var result = new string[Count];
        for (int i = 0; i < result.Length; i++)
        {
            var item = _bytes.AsSpan(i * size, size);
            if (DType.Kind == 'S')
            {
                int n = item.Length;
                while (n > 0 && item[n - 1] == 0) n--;
                result[i] = Encoding.Latin1.GetString(item[..n]);
            }
            else
            {
                var chars = MemoryMarshal.Cast<byte, int>(item);
                int n = chars.Length;
                while (n > 0 && chars[n - 1] == 0) n--;
                var sb = new StringBuilder(n);
                foreach (int c in chars[..n])
                    sb.Append(c is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32(c) : "\uFFFD");
                result[i] = sb.ToString();
            }
        }
        return result;
    }

    /// <summary>A new CPU tensor of the array's shape and type (float16 stays float16).</summary>
    /// <exception cref="InvalidOperationException">A dtype TorchSharp has no type for (strings, objects, uint16-64).</exception>
    public Tensor ToTensor()
    {
        var type = DType.TorchType ?? throw new InvalidOperationException($"TorchSharp has no tensor type for numpy's {DType}.");
        var result = empty(_shape, type);
        if (_bytes.Length > 0) result.bytes = _bytes;
        return result;
    }

    /// <inheritdoc />
    public override string ToString() => $"ndarray({DType}, ({string.Join(", ", _shape)}))";

    internal static long? CountOf(IReadOnlyList<long> shape)
    {
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0) return null;
            try { count = checked(count * d); }
            catch (OverflowException) { return null; }
        }
        return count;
    }

    /// <summary>Reorders Fortran-ordered items to C order (a full axis reversal of the transposed layout).</summary>
    internal static T[] FortranToC<T>(T[] items, long[] shape, int itemSize)
    {
        if (shape.Length < 2 || items.Length == 0) return items;
        long count = items.Length / itemSize;
        var result = new T[items.Length];
        var index = new long[shape.Length];
        for (long c = 0; c < count; c++)
        {
            // c walks C order; its Fortran position has the first axis varying fastest.
            long f = 0, stride = 1;
            for (int axis = 0; axis < shape.Length; axis++)
            {
                f += index[axis] * stride;
                stride *= shape[axis];
            }
            Array.Copy(items, f * itemSize, result, c * itemSize, itemSize);
            for (int axis = shape.Length - 1; axis >= 0; axis--)
            {
                if (++index[axis] < shape[axis]) break;
                index[axis] = 0;
            }
        }
        return result;
    }

    /// <summary>Swaps every item of big-endian data to little-endian (complex: each half separately; strings: each UTF-32 unit).</summary>
    internal static void SwapToLittleEndian(byte[] bytes, NumpyDType dtype)
    {
        int unit = dtype.Kind switch { 'c' => dtype.ItemSize / 2, 'U' => 4, _ => dtype.ItemSize };
        if (unit <= 1) return;
        for (int i = 0; i + unit <= bytes.Length; i += unit) bytes.AsSpan(i, unit).Reverse();
    }
}
