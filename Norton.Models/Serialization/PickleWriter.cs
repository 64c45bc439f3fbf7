using Norton.Core.Validation;
using System.Buffers.Binary;
using System.Collections;
using System.Numerics;
using System.Text;

namespace Norton.Models.Serialization;

/// <summary>
/// Writes plain data as a pickle (protocol 2, readable by Python 2 and 3): the values <see cref="PickleReader"/>
/// returns for plain data, e.g. the corpus's <c>{shard: [video ids]}</c> meta files.
/// </summary>
public static class PickleWriter
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="stream"/>.</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="value">null, bool, integers (up to <see cref="BigInteger"/>), float/double, string, byte[], tuples
    /// (<c>object?[]</c>), lists (<see cref="IList"/>) and dictionaries (<see cref="IDictionary"/>), nested.</param>
    /// <exception cref="ArgumentException">Another type, or a cycle (nesting deeper than 1000).</exception>
    public static void Write(Stream stream, object? value)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var body = new MemoryStream();
        body.Write([0x80, 2]);
        WriteValue(body, value, 0);
        body.WriteByte((byte)'.');
        body.Position = 0;
        body.CopyTo(stream);
    }

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/> through a temporary file, then renames it.</summary>
    /// <exception cref="ArgumentException">See <see cref="Write(Stream, object?)"/>.</exception>
    public static void WriteFile(string path, object? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string temp = path + ".tmp-" + Environment.ProcessId;
        using (var file = File.Create(temp)) Write(file, value);
        File.Move(temp, path, overwrite: true);
    }

    private static void WriteValue(Stream s, object? value, int depth)
    {
        if (depth > 1000) throw Guard.Argument(nameof(value), "nest at most 1000 levels deep", "nests deeper (a cycle?)");
        switch (value)
        {
            case null: s.WriteByte((byte)'N'); break;
            case bool b: s.WriteByte(b ? (byte)0x88 : (byte)0x89); break;
            case int or long or short or sbyte or byte or ushort or uint:
                WriteInteger(s, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case ulong u: WriteBig(s, u); break;
            case BigInteger big: WriteBig(s, big); break;
            case double or float:
                s.WriteByte((byte)'G');
                Span<byte> d = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleBigEndian(d, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                s.Write(d);
                break;
            case string text:
                var utf8 = Encoding.UTF8.GetBytes(text);
                s.WriteByte((byte)'X');
                WriteInt32(s, utf8.Length);
                s.Write(utf8);
                break;
            case byte[] bytes:
                // Protocol 2 has no bytes opcode: Python 3 pickles bytes as _codecs.encode(latin-1 text, 'latin1').
                s.Write("c_codecs\nencode\n"u8);
                WriteValue(s, Encoding.Latin1.GetString(bytes), depth + 1);
                WriteValue(s, "latin1", depth + 1);
                s.Write([0x86, (byte)'R']);
                break;
            case object?[] tuple:
                s.WriteByte((byte)'(');
                foreach (object? item in tuple) WriteValue(s, item, depth + 1);
                s.WriteByte((byte)'t');
                break;
            case IDictionary dict:
                s.Write([(byte)'}', (byte)'(']);
                foreach (DictionaryEntry entry in dict)
                {
                    WriteValue(s, entry.Key, depth + 1);
                    WriteValue(s, entry.Value, depth + 1);
                }
                s.WriteByte((byte)'u');
                break;
            case IList list:
                s.Write([(byte)']', (byte)'(']);
                foreach (object? item in list) WriteValue(s, item, depth + 1);
                s.WriteByte((byte)'e');
                break;
            default:
                throw Guard.Argument(nameof(value), "hold only plain data (what the pickle writer writes)", $"holds a {value.GetType().Name}");
        }
    }

    private static void WriteInteger(Stream s, long v)
    {
        if (v is >= 0 and <= 0xFF) s.Write([(byte)'K', (byte)v]);
        else if (v is >= 0 and <= 0xFFFF) s.Write([(byte)'M', (byte)v, (byte)(v >> 8)]);
        else if (v is >= int.MinValue and <= int.MaxValue)
        {
            s.WriteByte((byte)'J');
            WriteInt32(s, (int)v);
        }
        else WriteBig(s, v);
    }

    private static void WriteBig(Stream s, BigInteger v)
    {
        var bytes = v.ToByteArray(isUnsigned: false, isBigEndian: false);
        if (bytes.Length > 255) throw Guard.Argument(nameof(v), "fit in 255 bytes (longer integers are not written)", $"needs {bytes.Length}");
        s.Write([0x8a, (byte)bytes.Length]);
        s.Write(bytes);
    }

    private static void WriteInt32(Stream s, int v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, v);
        s.Write(b);
    }
}
