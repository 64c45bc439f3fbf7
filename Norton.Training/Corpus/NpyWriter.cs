using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Norton.Models.Data;

namespace Norton.Training.Corpus;

/// <summary>
/// Writes numpy <c>.npy</c> files (format 1.0, C order, little-endian) that <c>numpy.load</c> and
/// <see cref="NpyFile"/> read: int64, int32, float32 and float16. Used by <see cref="ShardedTensorWriter"/>.
/// </summary>
public static class NpyWriter
{
    /// <summary>Header bytes reserved by <see cref="WriteHeader"/> (a multiple of 64, as numpy aligns it).</summary>
    public const int HeaderLength = 128;

    /// <summary>
    /// Writes a format-1.0 header of exactly <see cref="HeaderLength"/> bytes for an array of <paramref name="shape"/>,
    /// so a streamed file can rewrite its header in place once the row count is known.
    /// </summary>
    /// <exception cref="ArgumentException">An unsupported element type or a negative dimension.</exception>
    public static void WriteHeader(Stream stream, NpyElementType type, IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Any(d => d < 0))
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) has a negative dimension.", nameof(shape));
        string dims = shape.Count == 1
            ? shape[0].ToString(CultureInfo.InvariantCulture) + ","
            : string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        string dict = $"{{'descr': '{Descr(type)}', 'fortran_order': False, 'shape': ({dims}), }}";
        int textLength = HeaderLength - 10;
        if (dict.Length + 1 > textLength)
            throw new ArgumentException($"shape ({dims}) is too long for a {HeaderLength}-byte .npy header.", nameof(shape));
        var header = new byte[HeaderLength];
        header[0] = 0x93;
        "NUMPY"u8.CopyTo(header.AsSpan(1));
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8, 2), (ushort)textLength);
        Encoding.Latin1.GetBytes(dict.PadRight(textLength - 1) + "\n", header.AsSpan(10));
        stream.Write(header);
    }

    /// <summary>Writes a whole 1-D int64 array to <paramref name="path"/> (via a temporary file, then renamed).</summary>
    public static void WriteInt64(string path, ReadOnlySpan<long> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            WriteHeader(stream, NpyElementType.Int64, new[] { (long)values.Length });
            var bytes = new byte[values.Length * sizeof(long)];
            for (int i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8, 8), values[i]);
            stream.Write(bytes);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Writes a whole 2-D float16 array (row-major, <paramref name="rows"/> x <paramref name="columns"/>) to
    /// <paramref name="path"/> via a temporary file, then renamed: what the original's
    /// <c>np.save(path, features.astype('float16'))</c> writes (a stopped run never leaves a partial file).
    /// </summary>
    /// <exception cref="ArgumentException">The value count is not <paramref name="rows"/> x <paramref name="columns"/>.</exception>
    public static void WriteFloat16(string path, ReadOnlySpan<Half> values, long rows, long columns)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (values.Length != rows * columns)
            throw new ArgumentException($"expected {rows} x {columns} = {rows * columns} values, got {values.Length}.", nameof(values));
        string temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            WriteHeader(file, NpyElementType.Float16, new[] { rows, columns });
            var buffer = new byte[Math.Max(2, Math.Min(values.Length, 1 << 16) * 2)];
            for (int start = 0; start < values.Length; start += buffer.Length / 2)
            {
                int count = Math.Min(buffer.Length / 2, values.Length - start);
                for (int i = 0; i < count; i++)
                    BinaryPrimitives.WriteHalfLittleEndian(buffer.AsSpan(2 * i), values[start + i]);
                file.Write(buffer, 0, 2 * count);
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>numpy's <c>descr</c> of the supported element types.</summary>
    /// <exception cref="ArgumentException">Another type.</exception>
    public static string Descr(NpyElementType type) => type switch
    {
        NpyElementType.Float16 => "<f2",
        NpyElementType.Float32 => "<f4",
        NpyElementType.Int32 => "<i4",
        NpyElementType.Int64 => "<i8",
        _ => throw new ArgumentException($"the .npy writer supports float16, float32, int32 and int64, not {type}.", nameof(type)),
    };
}
