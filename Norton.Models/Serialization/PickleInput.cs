using Norton.Core.Validation;
using System.Buffers.Binary;

namespace Norton.Models.Serialization;

/// <summary>
/// The bytes of a pickle with every length checked against what is left of the stream before anything is allocated,
/// so a damaged length field fails at once instead of asking for gigabytes.
/// </summary>
internal sealed class PickleInput
{
    private const int MaxLineLength = 1 << 20;
    private readonly Stream _stream;
    private readonly long _end;

    public PickleInput(Stream stream, string source)
    {
        if (!stream.CanSeek) throw Guard.Argument(nameof(stream), "be seekable", "CanSeek is false");
        _stream = stream;
        _end = stream.Length;
        Source = source;
    }

    public string Source { get; }

    public long Position => _stream.Position;

    public long Remaining => _end - _stream.Position;

    public SerializedDataException Error(string problem, Exception? inner = null) =>
        new(Source, $"{problem} (at byte {Position})", inner);

    public byte ReadByte()
    {
        int b = _stream.ReadByte();
        return b < 0 ? throw Error("the pickle ends early (no STOP opcode)") : (byte)b;
    }

    public byte[] ReadBytes(long count, string what)
    {
        if (count < 0 || count > Remaining)
            throw Error($"{what} declares {count} bytes, but only {Remaining} are left");
        var bytes = new byte[count];
        _stream.ReadExactly(bytes);
        return bytes;
    }

    public void Skip(long count, string what)
    {
        if (count < 0 || count > Remaining)
            throw Error($"{what} declares {count} bytes, but only {Remaining} are left");
        _stream.Seek(count, SeekOrigin.Current);
    }

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4, "a 4-byte field"));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2, "a 2-byte field"));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8, "an 8-byte field"));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, "a 4-byte field"));

    /// <summary>A text-protocol argument: the bytes up to (not including) the next newline.</summary>
    public byte[] ReadLine()
    {
        var line = new List<byte>();
        while (true)
        {
            byte b = ReadByte();
            if (b == (byte)'\n') return line.ToArray();
            if (line.Count >= MaxLineLength) throw Error($"a text opcode's line is longer than {MaxLineLength} bytes");
            line.Add(b);
        }
    }
}
