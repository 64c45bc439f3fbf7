using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Norton.Models.Data;

namespace Norton.Training.Corpus;

/// <summary>
/// One <c>ShardedTensor</c> read straight from its memory mapping into plain arrays (no TorchSharp), so that the batch
/// feeder's background thread can use it. Opening reads the headers and the offsets and checks them against the
/// file sizes; reads from several threads at once are safe.
/// </summary>
internal sealed class MappedShard : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly long[] _starts;
    private readonly long _dataOffset;

    private MappedShard(string dataPath, NpyElementType type, int rowWidth, long[] starts, long dataOffset, MemoryMappedFile file, MemoryMappedViewAccessor view)
    {
        DataPath = dataPath;
        ElementType = type;
        RowWidth = rowWidth;
        _starts = starts;
        _dataOffset = dataOffset;
        _file = file;
        _view = view;
    }

    public string DataPath { get; }

    public NpyElementType ElementType { get; }

    /// <summary>Values per row (the product of the item shape).</summary>
    public int RowWidth { get; }

    public int Count => _starts.Length - 1;

    public long Rows(int index) => _starts[index + 1] - _starts[index];

    /// <summary>Opens <c>&lt;prefix&gt;_starts.npy</c> / <c>&lt;prefix&gt;_data.npy</c> and checks them.</summary>
    /// <exception cref="FileNotFoundException">A missing file.</exception>
    /// <exception cref="InvalidDataException">A truncated or inconsistent file; the message names it.</exception>
    public static MappedShard Open(string prefix, NpyElementType[] types, int? rowWidth)
    {
        string startsPath = prefix + "_starts.npy", dataPath = prefix + "_data.npy";
        NpyHeader header = Header(dataPath);
        if (!types.Contains(header.ElementType) || header.Shape.Count != 2 || (rowWidth is int w && header.Shape[1] != w))
            throw new InvalidDataException(
                $"{dataPath}: expected 2-D rows of {(rowWidth?.ToString() ?? "n")} {string.Join(" or ", types)}, found ({string.Join(", ", header.Shape)}) {header.ElementType}.");
        long length = new FileInfo(dataPath).Length;
        if (length - header.DataOffset < header.DataLength)
            throw new InvalidDataException(
                $"{dataPath}: truncated: ({string.Join(", ", header.Shape)}) {header.ElementType} needs {header.DataLength} bytes after the header, found {Math.Max(0, length - header.DataOffset)}.");
        long[] starts = ReadStarts(startsPath, header.Shape[0]);
        var stream = new FileStream(dataPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        MemoryMappedFile? file = null;
        try
        {
            file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new MappedShard(dataPath, header.ElementType, checked((int)header.Shape[1]), starts, header.DataOffset, file, view);
        }
        catch
        {
            if (file is null) stream.Dispose();
            file?.Dispose();
            throw;
        }
    }

    /// <summary>Item <paramref name="index"/> as float32 values (float16 widened).</summary>
    public float[] ReadSingles(int index)
    {
        long values = Rows(index) * RowWidth;
        var result = new float[values];
        long at = _dataOffset + _starts[index] * RowWidth * ElementType.Size();
        if (ElementType == NpyElementType.Float32)
        {
            _view.ReadArray(at, result, 0, result.Length);
            return result;
        }
        var halves = new Half[values];
        _view.ReadArray(at, halves, 0, halves.Length);
        for (int i = 0; i < halves.Length; i++) result[i] = (float)halves[i];
        return result;
    }

    /// <summary>Item <paramref name="index"/> as int32 values.</summary>
    public int[] ReadInt32(int index)
    {
        var result = new int[Rows(index) * RowWidth];
        _view.ReadArray(_dataOffset + _starts[index] * RowWidth * 4L, result, 0, result.Length);
        return result;
    }

    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }

    private static NpyHeader Header(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: missing shard file.", path);
        return NpyFile.ReadHeader(path);
    }

    private static long[] ReadStarts(string path, long rows)
    {
        NpyHeader header = Header(path);
        if (header.Shape.Count != 1 || header.ElementType != NpyElementType.Int64 || header.Shape[0] < 1)
            throw new InvalidDataException($"{path}: expected 1-D int64 offsets (n+1 of them), found ({string.Join(", ", header.Shape)}) {header.ElementType}.");
        var bytes = new byte[header.DataLength];
        using (var stream = File.OpenRead(path))
        {
            stream.Seek(header.DataOffset, SeekOrigin.Begin);
            int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (read < bytes.Length)
                throw new InvalidDataException($"{path}: truncated: {header.Shape[0]} offsets need {bytes.Length} bytes, found {read}.");
        }
        long[] starts = MemoryMarshal.Cast<byte, long>(bytes).ToArray();
        if (!BitConverter.IsLittleEndian)
            for (int i = 0; i < starts.Length; i++) starts[i] = BinaryPrimitives.ReverseEndianness(starts[i]);
        if (starts[0] != 0)
            throw new InvalidDataException($"{path}: expected starts[0] = 0, found {starts[0]}.");
        for (int i = 1; i < starts.Length; i++)
            if (starts[i] < starts[i - 1])
                throw new InvalidDataException($"{path}: offsets must be non-decreasing; starts[{i}] = {starts[i]} < starts[{i - 1}] = {starts[i - 1]}.");
        if (starts[^1] != rows)
            throw new InvalidDataException($"{path}: the last offset is {starts[^1]}, but the data file has {rows} rows.");
        return starts;
    }
}
