using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Norton.Models.S3D;

/// <summary>
/// Reads a NumPy <c>.npy</c> file that holds a unicode string array (dtype <c>&lt;U<i>n</i></c>, little-endian UTF-32,
/// C order), such as S3D's word dictionary <c>s3d_dict.npy</c>. Nothing else of the format is supported.
/// </summary>
public static partial class NpyStringArray
{
    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    /// <summary>Reads the strings of <paramref name="path"/> in C order (an n-d array is flattened).</summary>
    /// <exception cref="InvalidDataException">Not a .npy file, or not a little-endian <c>U</c> array in C order.</exception>
    public static string[] Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        try
        {
            return Read(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads the strings of a .npy stream in C order (an n-d array is flattened).</summary>
    /// <exception cref="InvalidDataException">Not a .npy file, or not a little-endian <c>U</c> array in C order.</exception>
    public static string[] Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var preamble = ReadExactly(stream, Magic.Length + 2, "preamble");
        if (!preamble.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException("not a .npy file (bad magic)");
        int major = preamble[Magic.Length];
        int headerLength = major switch
        {
            1 => BinaryPrimitives.ReadUInt16LittleEndian(ReadExactly(stream, 2, "header length")),
            2 or 3 => checked((int)BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(stream, 4, "header length"))),
            _ => throw new InvalidDataException($"unsupported .npy format version {major}"),
        };
        var headerBytes = ReadExactly(stream, headerLength, "header");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);

        string descr = Match(DescrPattern(), header, "descr");
        var dtype = DtypePattern().Match(descr);
        if (!dtype.Success)
            throw new InvalidDataException($"expected a little-endian unicode string dtype '<U<n>', got '{descr}'");
        int width = int.Parse(dtype.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var dims = Match(ShapePattern(), header, "shape")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.Parse(d, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        bool fortran = Match(FortranPattern(), header, "fortran_order") == "True";
        if (fortran && dims.Count(d => d > 1) > 1)
            throw new InvalidDataException("Fortran-ordered multi-dimensional string arrays are not supported");

        long count = dims.Aggregate(1L, (a, b) => checked(a * b));
        var strings = new string[count];
        var utf32 = new UTF32Encoding(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true);
        int itemBytes = checked(width * 4);
        var item = new byte[itemBytes];
        for (long i = 0; i < count; i++)
        {
            ReadInto(stream, item, $"string {i} of {count}");
            // NumPy pads each fixed-width item with NUL code points and strips them on read.
            int length = width;
            while (length > 0 && BinaryPrimitives.ReadUInt32LittleEndian(item.AsSpan((length - 1) * 4, 4)) == 0)
                length--;
            try
            {
                strings[i] = utf32.GetString(item, 0, length * 4);
            }
            catch (DecoderFallbackException e)
            {
                throw new InvalidDataException($"string {i} is not valid UTF-32: {e.Message}", e);
            }
        }
        return strings;
    }

    private static string Match(Regex pattern, string header, string field)
    {
        var m = pattern.Match(header);
        if (!m.Success)
            throw new InvalidDataException($"header has no readable '{field}': {header.Trim()}");
        return m.Groups[1].Value;
    }

    private static byte[] ReadExactly(Stream stream, int count, string what)
    {
        var buffer = new byte[count];
        ReadInto(stream, buffer, what);
        return buffer;
    }

    private static void ReadInto(Stream stream, byte[] buffer, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"file ends inside the {what}", e);
        }
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"^<U(\d+)$")]
    private static partial Regex DtypePattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();
}
