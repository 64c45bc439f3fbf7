using System.Buffers.Binary;
using System.Text;

namespace Norton.Models.Data;

/// <summary>
/// The header of a numpy <c>.npy</c> file (format versions 1.0, 2.0 and 3.0): element type, shape and where the
/// C-ordered data starts.
/// </summary>
/// <param name="ElementType">Type of every element.</param>
/// <param name="Shape">Array shape; empty for a 0-d (scalar) array.</param>
/// <param name="DataOffset">Byte offset of the first element.</param>
/// <param name="MajorVersion">Format major version (1, 2 or 3).</param>
public sealed record NpyHeader(NpyElementType ElementType, IReadOnlyList<long> Shape, long DataOffset, int MajorVersion)
{
    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    /// <summary>Number of elements (the product of the shape; 1 for a 0-d array).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => checked(a * b));

    /// <summary>Bytes of data the header announces.</summary>
    public long DataLength => checked(ElementCount * ElementType.Size());

    /// <summary>Reads and checks a header from the start of <paramref name="stream"/>.</summary>
    /// <param name="stream">A readable stream positioned at the start of the file.</param>
    /// <param name="fileName">The file's name, for error messages.</param>
    /// <exception cref="InvalidDataException">
    /// Not a .npy file, an unsupported version, dtype or Fortran order, or a malformed header; the message names the
    /// file, what was expected and what was found.
    /// </exception>
    public static NpyHeader Read(Stream stream, string fileName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> prefix = stackalloc byte[12];
        int got = ReadUpTo(stream, prefix[..8]);
        if (got < 8 || !prefix[..6].SequenceEqual(Magic))
            throw new InvalidDataException(
                $"{fileName}: not a .npy file: expected the magic \\x93NUMPY and a version, found {got} bytes [{Convert.ToHexString(prefix[..got])}].");
        int major = prefix[6];
        if (major is < 1 or > 3)
            throw new InvalidDataException($"{fileName}: .npy format version {major}.{prefix[7]} is not supported (expected 1.0, 2.0 or 3.0).");
        int lengthBytes = major == 1 ? 2 : 4;
        if (ReadUpTo(stream, prefix.Slice(8, lengthBytes)) < lengthBytes)
            throw new InvalidDataException($"{fileName}: truncated .npy header: the header length field is cut off.");
        long headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(prefix.Slice(8, 2))
            : BinaryPrimitives.ReadUInt32LittleEndian(prefix.Slice(8, 4));
        if (headerLength > 1 << 24)
            throw new InvalidDataException($"{fileName}: .npy header length {headerLength} is implausibly large.");
        var header = new byte[headerLength];
        int read = ReadUpTo(stream, header);
        if (read < headerLength)
            throw new InvalidDataException($"{fileName}: truncated .npy header: expected {headerLength} bytes, found {read}.");
        // Versions 1 and 2 store the header in latin-1, version 3 in UTF-8.
        string text = major == 3 ? Encoding.UTF8.GetString(header) : Encoding.Latin1.GetString(header);
        long dataOffset = 8 + lengthBytes + headerLength;
        return Parse(text, fileName, dataOffset, major);
    }

    private static NpyHeader Parse(string text, string fileName, long dataOffset, int major)
    {
        Dictionary<string, object?> dict;
        try
        {
            dict = PythonLiteral.ParseDictionary(text);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{fileName}: malformed .npy header '{text.TrimEnd()}': {e.Message}", e);
        }
        if (!dict.TryGetValue("descr", out object? descrValue) || descrValue is not string descr)
            throw new InvalidDataException(
                $"{fileName}: .npy header needs a 'descr' string (e.g. '<f4'); found '{text.TrimEnd()}'. Structured dtypes are not supported.");
        NpyElementType type = NpyElementTypes.Parse(descr) ?? throw new InvalidDataException(
            $"{fileName}: dtype '{descr}' is not supported; expected little-endian <f2, <f4, <f8, <i2, <i4, <i8, |i1, |u1 or |b1.");
        if (!dict.TryGetValue("fortran_order", out object? fortran) || fortran is not bool isFortran)
            throw new InvalidDataException($"{fileName}: .npy header needs a boolean 'fortran_order'; found '{text.TrimEnd()}'.");
        if (isFortran)
            throw new InvalidDataException($"{fileName}: Fortran-ordered arrays are not supported; expected C order (fortran_order False).");
        if (!dict.TryGetValue("shape", out object? shapeValue) || shapeValue is not IReadOnlyList<long> shape || shape.Any(d => d < 0))
            throw new InvalidDataException($"{fileName}: .npy header needs a 'shape' tuple of non-negative integers; found '{text.TrimEnd()}'.");
        return new NpyHeader(type, shape.ToArray(), dataOffset, major);
    }

    private static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
