using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using static TorchSharp.torch;

namespace Norton.Models.Serialization;

/// <summary>
/// A strict zip reader for <c>torch.save</c> and <c>.npz</c> archives: the central directory (zip64 too) is checked
/// against the file, every record's bytes are checked against its CRC-32, and no size is trusted before it has been
/// compared with the bytes that exist.
/// </summary>
internal sealed class ZipStore
{
    private const int Chunk = 1 << 22;
    private readonly Stream _stream;
    private readonly long _centralStart;

    private ZipStore(Stream stream, string source, List<ZipRecord> records, long centralStart)
    {
        _stream = stream;
        Source = source;
        Records = records;
        _centralStart = centralStart;
    }

    public string Source { get; }

    public IReadOnlyList<ZipRecord> Records { get; }

    /// <summary>Bytes per read when copying a record into a tensor (small in tests that check the chunking).</summary>
    internal static int ChunkBytes { get; set; } = Chunk;

    public static bool LooksLikeZip(ReadOnlySpan<byte> head) => head.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(head) == 0x04034b50;

    private SerializedDataException Error(string problem) => new(Source, problem);

    public static ZipStore Open(Stream stream, string source)
    {
        long length = stream.Length;
        SerializedDataException Bad(string problem) => new(source, $"damaged zip archive: {problem}");
        // End of central directory: 22 bytes plus a comment of up to 65535 bytes, at the very end.
        int tail = (int)Math.Min(length, 22 + 65535);
        var end = ReadAt(stream, length - tail, tail, source);
        int eocd = -1;
        for (int i = tail - 22; i >= 0; i--)
            if (BinaryPrimitives.ReadUInt32LittleEndian(end.AsSpan(i)) == 0x06054b50 && i + 22 + BinaryPrimitives.ReadUInt16LittleEndian(end.AsSpan(i + 20)) == tail)
            {
                eocd = i;
                break;
            }
        if (eocd < 0) throw Bad("no end-of-central-directory record (the file is truncated or not a zip)");
        long count = BinaryPrimitives.ReadUInt16LittleEndian(end.AsSpan(eocd + 10));
        long cdSize = BinaryPrimitives.ReadUInt32LittleEndian(end.AsSpan(eocd + 12));
        long cdOffset = BinaryPrimitives.ReadUInt32LittleEndian(end.AsSpan(eocd + 16));
        long eocdPosition = length - tail + eocd;
        if (count == 0xFFFF || cdSize == 0xFFFFFFFF || cdOffset == 0xFFFFFFFF)
        {
            if (eocdPosition < 20) throw Bad("zip64 locator missing");
            var locator = ReadAt(stream, eocdPosition - 20, 20, source);
            if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != 0x07064b50) throw Bad("zip64 locator missing");
            long z64 = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(locator.AsSpan(8)), (ulong)long.MaxValue);
            if (z64 > eocdPosition - 56) throw Bad("zip64 end record outside the file");
            var record = ReadAt(stream, z64, 56, source);
            if (BinaryPrimitives.ReadUInt32LittleEndian(record) != 0x06064b50) throw Bad("zip64 end record missing");
            count = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32)), (ulong)long.MaxValue);
            cdSize = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(40)), (ulong)long.MaxValue);
            cdOffset = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(48)), (ulong)long.MaxValue);
        }
        if (cdOffset > length || cdSize > length - cdOffset || cdOffset + cdSize > eocdPosition)
            throw Bad($"the central directory ({cdSize} bytes at {cdOffset}) lies outside the {length}-byte file");
        if (count > cdSize / 46) throw Bad($"{count} records cannot fit in a {cdSize}-byte central directory");
        var cd = ReadAt(stream, cdOffset, (int)cdSize, source);
        var records = new List<ZipRecord>((int)count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        int p = 0;
        for (long i = 0; i < count; i++)
        {
            if (p + 46 > cd.Length || BinaryPrimitives.ReadUInt32LittleEndian(cd.AsSpan(p)) != 0x02014b50)
                throw Bad($"central directory entry {i} is damaged");
            var h = cd.AsSpan(p);
            int flags = BinaryPrimitives.ReadUInt16LittleEndian(h[8..]);
            int method = BinaryPrimitives.ReadUInt16LittleEndian(h[10..]);
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(h[16..]);
            long csize = BinaryPrimitives.ReadUInt32LittleEndian(h[20..]);
            long usize = BinaryPrimitives.ReadUInt32LittleEndian(h[24..]);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(h[28..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(h[30..]);
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(h[32..]);
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(h[42..]);
            if (p + 46 + nameLength + extraLength + commentLength > cd.Length) throw Bad($"central directory entry {i} runs past the directory");
            string name = Encoding.UTF8.GetString(h.Slice(46, nameLength));
            var extra = h.Slice(46 + nameLength, extraLength);
            // Zip64: the 64-bit values of the fields that hold 0xFFFFFFFF, in this order.
            for (int e = 0; e + 4 <= extra.Length;)
            {
                int id = BinaryPrimitives.ReadUInt16LittleEndian(extra[e..]);
                int size = BinaryPrimitives.ReadUInt16LittleEndian(extra[(e + 2)..]);
                if (e + 4 + size > extra.Length) throw Bad($"record '{name}': damaged extra field");
                if (id == 1)
                {
                    var z = extra.Slice(e + 4, size).ToArray();
                    int at = 0;
                    long Next()
                    {
                        if (at + 8 > z.Length) throw Bad($"record '{name}': short zip64 field");
                        long v = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(z.AsSpan(at)), (ulong)long.MaxValue);
                        at += 8;
                        return v;
                    }
                    if (usize == 0xFFFFFFFF) usize = Next();
                    if (csize == 0xFFFFFFFF) csize = Next();
                    if (offset == 0xFFFFFFFF) offset = Next();
                }
                e += 4 + size;
            }
            p += 46 + nameLength + extraLength + commentLength;
            if ((flags & 1) != 0) throw Bad($"record '{name}' is encrypted");
            if (method is not (0 or 8)) throw Bad($"record '{name}' uses compression method {method} (only stored and deflate are supported)");
            if (method == 0 && csize != usize) throw Bad($"stored record '{name}' has {csize} bytes in the archive but declares {usize}");
            if (offset + 30 > cdOffset || csize > cdOffset - offset - 30) throw Bad($"record '{name}' ({csize} bytes at {offset}) lies outside the archive's data");
            if (!names.Add(name)) throw Bad($"record '{name}' appears twice");
            records.Add(new ZipRecord(name, method, csize, usize, crc, offset));
        }
        return new ZipStore(stream, source, records, cdOffset);
    }

    /// <summary>Where the record's bytes start, after its local header (whose name must match).</summary>
    private long DataOffset(ZipRecord record)
    {
        var header = ReadAt(_stream, record.HeaderOffset, 30, Source);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != 0x04034b50) throw Error($"damaged zip archive: record '{record.Name}' has no local header");
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(26));
        int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(28));
        long data = record.HeaderOffset + 30 + nameLength + extraLength;
        if (data > _centralStart || record.CompressedSize > _centralStart - data)
            throw Error($"damaged zip archive: record '{record.Name}' runs into the central directory");
        string name = Encoding.UTF8.GetString(ReadAt(_stream, record.HeaderOffset + 30, nameLength, Source));
        if (name != record.Name) throw Error($"damaged zip archive: the local header says '{name}', the directory '{record.Name}'");
        return data;
    }

    /// <summary>The whole record, CRC-checked; deflated records may expand to at most <paramref name="maxBytes"/>.</summary>
    public byte[] ReadAll(ZipRecord record, long maxBytes)
    {
        long data = DataOffset(record);
        if (record.Size > maxBytes || record.Size > Array.MaxLength)
            throw Error($"record '{record.Name}' declares {record.Size} bytes, over the limit of {maxBytes}");
        byte[] bytes;
        if (record.Method == 0)
        {
            bytes = ReadAt(_stream, data, (int)record.Size, Source);
        }
        else
        {
            _stream.Position = data;
            using var window = new SubStream(_stream, record.CompressedSize);
            using var inflate = new DeflateStream(window, CompressionMode.Decompress, leaveOpen: true);
            // Grow with the data that really comes out, never to a declared size first.
            var output = new MemoryStream();
            var buffer = new byte[81920];
            try
            {
                int n;
                while ((n = inflate.Read(buffer)) > 0)
                {
                    if (output.Length + n > record.Size) throw Error($"record '{record.Name}' inflates to more than its declared {record.Size} bytes");
                    output.Write(buffer, 0, n);
                }
            }
            catch (InvalidDataException e)
            {
                throw new SerializedDataException(Source, $"record '{record.Name}': damaged deflate data ({e.Message})", e);
            }
            if (output.Length != record.Size) throw Error($"record '{record.Name}' inflates to {output.Length} bytes, but declares {record.Size}");
            bytes = output.ToArray();
        }
        CheckCrc(record, Crc32.Append(0, bytes));
        return bytes;
    }

    /// <summary>Copies a stored record into <paramref name="destination"/> (a flat CPU tensor of exactly its size), CRC-checked.</summary>
    public void ReadInto(ZipRecord record, Tensor destination, int elementSize)
    {
        long bytes = destination.shape[0] * elementSize;
        if (record.Method != 0) throw Error($"record '{record.Name}' is compressed; torch.save writes storages uncompressed");
        if (record.Size != bytes) throw Error($"record '{record.Name}' has {record.Size} bytes, but its storage declares {bytes}");
        _stream.Position = DataOffset(record);
        CheckCrc(record, ReadTensorBytes(_stream, destination, elementSize, Source, record.Name));
    }

    /// <summary>Reads every record not read yet, so that each CRC-32 is checked once.</summary>
    public void VerifyRest(ISet<string> alreadyRead)
    {
        var buffer = new byte[Chunk];
        foreach (var record in Records)
        {
            if (alreadyRead.Contains(record.Name)) continue;
            if (record.Method != 0)
            {
                ReadAll(record, Math.Max(record.Size, 0));
                continue;
            }
            _stream.Position = DataOffset(record);
            uint crc = 0;
            for (long left = record.Size; left > 0;)
            {
                int n = (int)Math.Min(left, buffer.Length);
                _stream.ReadExactly(buffer, 0, n);
                crc = Crc32.Append(crc, buffer.AsSpan(0, n));
                left -= n;
            }
            CheckCrc(record, crc);
        }
    }

    /// <summary>Fills a flat tensor from the stream in chunks and returns the CRC-32 of the bytes.</summary>
    internal static uint ReadTensorBytes(Stream stream, Tensor destination, int elementSize, string source, string what)
    {
        long count = destination.shape[0];
        int perChunk = Math.Max(1, ChunkBytes / elementSize);
        var buffer = new byte[(int)Math.Min(count, perChunk) * elementSize];
        uint crc = 0;
        for (long start = 0; start < count; start += perChunk)
        {
            int n = (int)Math.Min(perChunk, count - start);
            int got = stream.ReadAtLeast(buffer.AsSpan(0, n * elementSize), n * elementSize, throwOnEndOfStream: false);
            if (got < n * elementSize) throw new SerializedDataException(source, $"{what}: the file ends inside the data");
            var span = buffer.AsSpan(0, n * elementSize);
            crc = Crc32.Append(crc, span);
            using var slice = destination.narrow(0, start, n);
            slice.bytes = span;
        }
        return crc;
    }

    private void CheckCrc(ZipRecord record, uint actual)
    {
        if (actual != record.Crc)
            throw Error($"record '{record.Name}' is corrupt: its CRC-32 is {actual:x8}, the archive says {record.Crc:x8}");
    }

    private static byte[] ReadAt(Stream stream, long offset, int count, string source)
    {
        if (offset < 0 || count < 0 || offset > stream.Length - count)
            throw new SerializedDataException(source, $"damaged zip archive: {count} bytes at {offset} lie outside the {stream.Length}-byte file");
        stream.Position = offset;
        var bytes = new byte[count];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
