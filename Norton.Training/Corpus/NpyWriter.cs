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
