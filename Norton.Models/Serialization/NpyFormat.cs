using System.Buffers.Binary;
using System.Text;
using Norton.Models.Data;

namespace Norton.Models.Serialization;

/// <summary>
/// The one <c>.npy</c> header parser (format versions 1.0-3.0), used by <see cref="NpyFile"/>, <see cref="NpyHeader"/>,
/// <see cref="S3D.NpyStringArray"/> and <see cref="NpzFile"/>; and the reader of whole arrays into <see cref="NumpyArray"/>.
/// </summary>
internal static class NpyFormat
{
    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    /// <summary>A parsed header: numpy's descr string, the order flag, the shape and where the data starts.</summary>
    internal sealed record RawHeader(string Descr, bool FortranOrder, long[] Shape, long DataOffset, int MajorVersion);

    /// <summary>Reads the header at the start of <paramref name="stream"/> (leaves the stream at the data).</summary>
    /// <exception cref="SerializedDataException">No magic, an unknown version, a truncated or malformed header.</exception>
    public static RawHeader ReadHeader(Stream stream, string source)
    {
        Span<byte> prefix = stackalloc byte[12];
        int got = stream.ReadAtLeast(prefix[..8], 8, throwOnEndOfStream: false);
        if (got < 8 || !prefix[..6].SequenceEqual(Magic))
            throw new SerializedDataException(source, $"not a .npy file: expected the magic \\x93NUMPY and a version, found {got} bytes [{Convert.ToHexString(prefix[..got])}].");
        int major = prefix[6];
        if (major is < 1 or > 3)
            throw new SerializedDataException(source, $".npy format version {major}.{prefix[7]} is not supported (expected 1.0, 2.0 or 3.0).");
        int lengthBytes = major == 1 ? 2 : 4;
        if (stream.ReadAtLeast(prefix.Slice(8, lengthBytes), lengthBytes, throwOnEndOfStream: false) < lengthBytes)
            throw new SerializedDataException(source, "truncated .npy header: the header length field is cut off.");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(prefix.Slice(8, 2)) : BinaryPrimitives.ReadUInt32LittleEndian(prefix.Slice(8, 4));
        if (headerLength > 1 << 24)
            throw new SerializedDataException(source, $".npy header length {headerLength} is implausibly large.");
        var header = new byte[headerLength];
        int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < headerLength)
            throw new SerializedDataException(source, $"truncated .npy header: expected {headerLength} bytes, found {read}.");
        // Versions 1 and 2 store the header in latin-1, version 3 in UTF-8.
        string text = major == 3 ? Encoding.UTF8.GetString(header) : Encoding.Latin1.GetString(header);
        Dictionary<string, object?> dict;
        try
        {
            dict = PythonLiteral.ParseDictionary(text);
        }
        catch (FormatException e)
        {
            throw new SerializedDataException(source, $"malformed .npy header '{text.TrimEnd()}': {e.Message}", e);
        }
        if (!dict.TryGetValue("descr", out object? descrValue) || descrValue is not string descr)
            throw new SerializedDataException(source, $".npy header needs a 'descr' string (e.g. '<f4'); found '{text.TrimEnd()}'. Structured dtypes are not supported.");
        if (!dict.TryGetValue("fortran_order", out object? fortran) || fortran is not bool isFortran)
            throw new SerializedDataException(source, $".npy header needs a boolean 'fortran_order'; found '{text.TrimEnd()}'.");
        if (!dict.TryGetValue("shape", out object? shapeValue) || shapeValue is not IReadOnlyList<long> shape || shape.Any(d => d < 0))
            throw new SerializedDataException(source, $".npy header needs a 'shape' tuple of non-negative integers; found '{text.TrimEnd()}'.");
        return new RawHeader(descr, isFortran, shape.ToArray(), 8 + lengthBytes + headerLength, major);
    }

    /// <summary>Reads a whole .npy array (any supported dtype but objects, either order, either byte order).</summary>
    /// <exception cref="SerializedDataException">Malformed header, an unsupported dtype, or data shorter than announced.</exception>
    public static NumpyArray ReadArray(Stream stream, string source)
    {
        var header = ReadHeader(stream, source);
        var parsed = NumpyDType.Parse(header.Descr);
        if (parsed is not var (type, bigEndian) || type.Kind == 'O')
            throw new SerializedDataException(source, $"dtype '{header.Descr}' is not supported (bool, int, uint, float, complex, U, S; no Python objects).");
        long count = NumpyArray.CountOf(header.Shape) ?? throw new SerializedDataException(source, "the shape overflows.");
        long bytes = count > 0 && type.ItemSize > 0 && count > long.MaxValue / type.ItemSize ? -1 : count * type.ItemSize;
        long left = stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
        if (bytes < 0 || bytes > Array.MaxLength || bytes > left)
            throw new SerializedDataException(source, $"truncated .npy data: shape ({string.Join(", ", header.Shape)}) of {header.Descr} needs {bytes} bytes after the header, found {Math.Max(0, left)}.");
        var data = new byte[bytes];
        int got = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (got < bytes)
            throw new SerializedDataException(source, $"truncated .npy data: shape ({string.Join(", ", header.Shape)}) of {header.Descr} needs {bytes} bytes after the header, found {got}.");
        if (bigEndian) NumpyArray.SwapToLittleEndian(data, type);
        if (header.FortranOrder) data = NumpyArray.FortranToC(data, header.Shape, type.ItemSize);
        return new NumpyArray(type, header.Shape, data);
    }
}
