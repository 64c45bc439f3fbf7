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
        Serialization.NpyFormat.RawHeader header;
        try
        {
            header = Serialization.NpyFormat.ReadHeader(stream, "npy");
        }
        catch (Serialization.SerializedDataException e)
        {
            throw new InvalidDataException(e.Problem, e);
        }
        var dtype = DtypePattern().Match(header.Descr);
        if (!dtype.Success)
            throw new InvalidDataException($"expected a little-endian unicode string dtype '<U<n>', got '{header.Descr}'");
        int width = int.Parse(dtype.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var dims = header.Shape;
        if (header.FortranOrder && dims.Count(d => d > 1) > 1)
            throw new InvalidDataException("Fortran-ordered multi-dimensional string arrays are not supported");

        long count = dims.Aggregate(1L, (a, b) => checked(a * b));
        if (stream.CanSeek && count > (stream.Length - stream.Position) / 4 / Math.Max(width, 1))
            throw new InvalidDataException($"the file ends inside the data: {count} strings of {width} characters need {count * width * 4} bytes");
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


    [GeneratedRegex(@"^<U(\d+)$")]
    private static partial Regex DtypePattern();


}
