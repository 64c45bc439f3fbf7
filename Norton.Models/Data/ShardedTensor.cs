using System.Buffers.Binary;
using Norton.Core.Validation;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Norton.Models.Data;

/// <summary>
/// The original's <c>ShardedTensor</c> on disk (docs/original-model.md §4): a ragged array of items that share a trailing
/// shape, stored as <c>&lt;prefix&gt;_starts.npy</c> (int64, n+1 offsets) and <c>&lt;prefix&gt;_data.npy</c> (all items
/// concatenated along axis 0). The data file is memory-mapped, so opening a shard reads only its headers and the
/// offsets; each item is read from the mapping when asked for.
/// </summary>
/// <remarks>Reading items from several threads at once is safe; dispose the shard when done. Opening and the plain-array
/// reads (<see cref="ReadSingles"/>, <see cref="ReadInt32"/>) make no TorchSharp call, so a data-loading thread can use
/// them while another thread trains.</remarks>
public sealed class ShardedTensor : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly long[] _starts;
    private readonly long _rowBytes;
    private readonly long _dataOffset;
    private bool _disposed;

    private ShardedTensor(string dataPath, NpyHeader header, long[] starts, MemoryMappedFile file, MemoryMappedViewAccessor view)
    {
        DataPath = dataPath;
        ElementType = header.ElementType;
        ItemShape = header.Shape.Skip(1).ToArray();
        _starts = starts;
        _rowBytes = ItemShape.Aggregate((long)header.ElementType.Size(), (a, b) => checked(a * b));
        _dataOffset = header.DataOffset;
        _file = file;
        _view = view;
    }

    /// <summary>The memory-mapped data file.</summary>
    public string DataPath { get; }

    /// <summary>Number of items (n).</summary>
    public int Count => _starts.Length - 1;

    /// <summary>Element type of the data (float16 for the S3D shards, float32/int32 for the caption shards).</summary>
    public NpyElementType ElementType { get; }

    /// <summary>The shape every row shares, e.g. (512) for features or (32) for caption token ids.</summary>
    public IReadOnlyList<long> ItemShape { get; }

    /// <summary>Total rows of all items (<c>starts[n]</c>).</summary>
    public long RowCount => _starts[^1];

    /// <summary>Values per row: the product of <see cref="ItemShape"/>.</summary>
    public long RowWidth => _rowBytes / ElementType.Size();

    /// <summary>Opens <c>&lt;pathPrefix&gt;_starts.npy</c> and <c>&lt;pathPrefix&gt;_data.npy</c>.</summary>
    /// <param name="pathPrefix">Path without the suffixes, e.g. <c>feat/val_0</c>.</param>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">
    /// Malformed files: starts not 1-D integers, not starting at 0, decreasing, negative or not ending at the data's
    /// row count; data of rank 0 or shorter than its header announces. The message names the file.
    /// </exception>
    public static ShardedTensor Open(string pathPrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathPrefix);
        string startsPath = pathPrefix + "_starts.npy", dataPath = pathPrefix + "_data.npy";
        NpyHeader header = NpyFile.ReadHeader(dataPath);
        if (header.Shape.Count < 1)
            throw new InvalidDataException($"{dataPath}: expected data with at least one axis (rows), found a 0-d array.");
        long fileLength = new FileInfo(dataPath).Length;
        if (fileLength - header.DataOffset < header.DataLength)
            throw new InvalidDataException(
                $"{dataPath}: truncated data: shape ({string.Join(", ", header.Shape)}) of {header.ElementType} needs {header.DataLength} bytes after the header, found {Math.Max(fileLength - header.DataOffset, 0)}.");
        long[] starts = ReadStarts(startsPath, header.Shape[0]);

        var stream = new FileStream(dataPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        MemoryMappedFile? file = null;
        try
        {
            file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new ShardedTensor(dataPath, header, starts, file, view);
        }
        catch
        {
            if (file is null) stream.Dispose();
            file?.Dispose();
            throw;
        }
    }

    /// <summary>Rows of item <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Index outside [0, Count).</exception>
    public long Length(int index)
    {
        CheckIndex(index);
        return _starts[index + 1] - _starts[index];
    }

    /// <summary>Rows of every item (<c>diff(starts)</c>).</summary>
    public long[] Lengths()
    {
        var lengths = new long[Count];
        for (int i = 0; i < lengths.Length; i++)
            lengths[i] = _starts[i + 1] - _starts[i];
        return lengths;
    }

    /// <summary>
    /// Item <paramref name="index"/>, <c>data[starts[i]:starts[i+1]]</c>, as a new CPU tensor of shape
    /// (rows, item shape…) in the stored element type.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Index outside [0, Count).</exception>
    /// <exception cref="ObjectDisposedException">The shard was disposed.</exception>
    public Tensor Read(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long rows = Length(index);
        long byteCount = checked(rows * _rowBytes);
        if (byteCount > Array.MaxLength)
            throw new InvalidOperationException($"{DataPath}: item {index} has {byteCount} bytes, too many for one read.");
        var bytes = new byte[byteCount];
        _view.ReadArray(_dataOffset + _starts[index] * _rowBytes, bytes, 0, bytes.Length);
        return NpyFile.FromBytes(bytes, ElementType, new[] { rows }.Concat(ItemShape).ToArray());
    }

    /// <summary>
    /// Item <paramref name="index"/> as a flat array of float32 values (rows × <see cref="RowWidth"/>, row-major),
    /// float16 data widened exactly. No TorchSharp call.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Index outside [0, Count).</exception>
    /// <exception cref="InvalidOperationException">The data is neither float32 nor float16.</exception>
    /// <exception cref="ObjectDisposedException">The shard was disposed.</exception>
    public float[] ReadSingles(int index)
    {
        if (ElementType is not (NpyElementType.Float32 or NpyElementType.Float16))
            throw new InvalidOperationException($"{DataPath}: ReadSingles needs float32 or float16 data, but the data is {ElementType}.");
        long at = ItemOffset(index, out long values);
        var result = new float[values];
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

    /// <summary>Item <paramref name="index"/> as a flat array of int32 values (rows × <see cref="RowWidth"/>). No
    /// TorchSharp call.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Index outside [0, Count).</exception>
    /// <exception cref="InvalidOperationException">The data is not int32.</exception>
    /// <exception cref="ObjectDisposedException">The shard was disposed.</exception>
    public int[] ReadInt32(int index)
    {
        if (ElementType != NpyElementType.Int32)
            throw new InvalidOperationException($"{DataPath}: ReadInt32 needs int32 data, but the data is {ElementType}.");
        long at = ItemOffset(index, out long values);
        var result = new int[values];
        _view.ReadArray(at, result, 0, result.Length);
        return result;
    }

    private long ItemOffset(int index, out long values)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        values = checked(Length(index) * RowWidth);
        if (values > Array.MaxLength)
            throw new InvalidOperationException($"{DataPath}: item {index} has {values} values, too many for one array.");
        return _dataOffset + _starts[index] * _rowBytes;
    }

    /// <summary>Unmaps the data file.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.Dispose();
        _file.Dispose();
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
            throw Guard.OutOfRange(nameof(index), index, $"lie in [0, {Count}) ({DataPath} has {Count} items)");
    }

    private static long[] ReadStarts(string startsPath, long rows)
    {
        NpyHeader header = NpyFile.ReadHeader(startsPath);
        if (header.Shape.Count != 1 || header.ElementType is not (NpyElementType.Int64 or NpyElementType.Int32))
            throw new InvalidDataException(
                $"{startsPath}: expected 1-D int64 offsets, found ({string.Join(", ", header.Shape)}) of {header.ElementType}.");
        if (header.Shape[0] < 1)
            throw new InvalidDataException($"{startsPath}: expected at least one offset (starts[0] = 0), found none.");
        long[] starts = ReadOffsets(startsPath, header);
        if (starts[0] != 0)
            throw new InvalidDataException($"{startsPath}: expected starts[0] = 0, found {starts[0]}.");
        for (int i = 1; i < starts.Length; i++)
            if (starts[i] < starts[i - 1])
                throw new InvalidDataException(
                    $"{startsPath}: offsets must be non-decreasing; starts[{i}] = {starts[i]} < starts[{i - 1}] = {starts[i - 1]}.");
        if (starts[^1] != rows)
            throw new InvalidDataException(
                $"{startsPath}: the last offset is {starts[^1]}, but the data file has {rows} rows; they must be equal.");
        return starts;
    }

    // The offsets as plain longs (int64 or int32 on disk, little-endian), read without TorchSharp.
    private static long[] ReadOffsets(string path, NpyHeader header)
    {
        var bytes = new byte[header.DataLength];
        using (var stream = File.OpenRead(path))
        {
            stream.Seek(header.DataOffset, SeekOrigin.Begin);
            int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (read < bytes.Length)
                throw new InvalidDataException($"{path}: truncated: {header.Shape[0]} offsets need {bytes.Length} bytes after the header, found {read}.");
        }
        long[] starts = header.ElementType == NpyElementType.Int64
            ? MemoryMarshal.Cast<byte, long>(bytes).ToArray()
            : Array.ConvertAll(MemoryMarshal.Cast<byte, int>(bytes).ToArray(), v => (long)(BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v)));
        if (!BitConverter.IsLittleEndian && header.ElementType == NpyElementType.Int64)
            for (int i = 0; i < starts.Length; i++) starts[i] = BinaryPrimitives.ReverseEndianness(starts[i]);
        return starts;
    }
}
