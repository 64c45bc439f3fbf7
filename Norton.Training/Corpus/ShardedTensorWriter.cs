using System.Buffers.Binary;
using Norton.Models.Data;

namespace Norton.Training.Corpus;

/// <summary>
/// Writes one <c>ShardedTensor</c> (docs/training-data.md): items appended one by one are streamed into
/// <c>&lt;prefix&gt;_data.npy</c>, and <see cref="Complete"/> writes <c>&lt;prefix&gt;_starts.npy</c> (int64, n+1
/// offsets). Both files are written under temporary names and renamed at the end, so a crash never leaves a shard
/// that looks complete.
/// </summary>
public sealed class ShardedTensorWriter : IDisposable
{
    private readonly string _prefix;
    private readonly string _temporaryData;
    private readonly FileStream _stream;
    private readonly List<long> _starts = new() { 0 };
    private readonly long[] _rowShape;
    private readonly int _rowWidth;
    private byte[] _buffer = Array.Empty<byte>();
    private bool _completed;

    /// <summary>Starts a shard of rows shaped <paramref name="rowShape"/> stored as <paramref name="type"/>.</summary>
    /// <param name="prefix">Path without the <c>_data.npy</c> / <c>_starts.npy</c> suffixes.</param>
    /// <param name="type">Float16 or Float32 (for float rows), Int32 (for integer rows).</param>
    /// <param name="rowShape">Shape every row shares, e.g. (512) or (32).</param>
    public ShardedTensorWriter(string prefix, NpyElementType type, params long[] rowShape)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (type is not (NpyElementType.Float16 or NpyElementType.Float32 or NpyElementType.Int32))
            throw new ArgumentException($"shards hold float16, float32 or int32 rows, not {type}.", nameof(type));
        if (rowShape.Length == 0 || rowShape.Any(d => d < 1))
            throw new ArgumentException($"row shape ({string.Join(", ", rowShape)}) needs positive dimensions.", nameof(rowShape));
        _prefix = prefix;
        ElementType = type;
        _rowShape = rowShape;
        _rowWidth = checked((int)rowShape.Aggregate(1L, (a, b) => a * b));
        _temporaryData = DataPath + ".tmp";
        _stream = new FileStream(_temporaryData, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        NpyWriter.WriteHeader(_stream, type, new long[] { 0 }.Concat(rowShape).ToArray());
    }

    /// <summary>The data file, <c>&lt;prefix&gt;_data.npy</c>.</summary>
    public string DataPath => _prefix + "_data.npy";

    /// <summary>The offsets file, <c>&lt;prefix&gt;_starts.npy</c>.</summary>
    public string StartsPath => _prefix + "_starts.npy";

    /// <summary>The stored element type.</summary>
    public NpyElementType ElementType { get; }

    /// <summary>Items appended so far.</summary>
    public int Count => _starts.Count - 1;

    /// <summary>Appends one item of <c>values.Length / row width</c> rows (float16 or float32 shards).</summary>
    /// <exception cref="ArgumentException">Not a whole number of rows, or an int32 shard.</exception>
    public void Append(ReadOnlySpan<float> values)
    {
        if (ElementType == NpyElementType.Int32)
            throw new ArgumentException($"{DataPath} holds int32 rows; append ints.", nameof(values));
        int size = ElementType == NpyElementType.Float16 ? 2 : 4;
        var bytes = Reserve(values.Length, size);
        for (int i = 0; i < values.Length; i++)
        {
            if (size == 2) BinaryPrimitives.WriteHalfLittleEndian(bytes.Slice(2 * i, 2), (Half)values[i]);
            else BinaryPrimitives.WriteSingleLittleEndian(bytes.Slice(4 * i, 4), values[i]);
        }
        Commit(values.Length, bytes);
    }

    /// <summary>Appends one item of <c>values.Length / row width</c> rows (int32 shards).</summary>
    /// <exception cref="ArgumentException">Not a whole number of rows, or a float shard.</exception>
    public void Append(ReadOnlySpan<int> values)
    {
        if (ElementType != NpyElementType.Int32)
            throw new ArgumentException($"{DataPath} holds {ElementType} rows; append floats.", nameof(values));
        var bytes = Reserve(values.Length, 4);
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt32LittleEndian(bytes.Slice(4 * i, 4), values[i]);
        Commit(values.Length, bytes);
    }

    /// <summary>Rewrites the data header with the final row count, writes the offsets and renames both files.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        _stream.Seek(0, SeekOrigin.Begin);
        NpyWriter.WriteHeader(_stream, ElementType, new[] { _starts[^1] }.Concat(_rowShape).ToArray());
        _stream.Dispose();
        File.Move(_temporaryData, DataPath, overwrite: true);
        NpyWriter.WriteInt64(StartsPath, _starts.ToArray());
    }

    /// <summary>Closes the file; an incomplete shard's temporary file is deleted.</summary>
    public void Dispose()
    {
        if (_completed) return;
        _completed = true;
        _stream.Dispose();
        File.Delete(_temporaryData);
    }

    private Span<byte> Reserve(int count, int size)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (count % _rowWidth != 0)
            throw new ArgumentException($"{DataPath}: {count} values are not a whole number of rows of {_rowWidth}.", "values");
        if (_buffer.Length < count * size) _buffer = new byte[count * size];
        return _buffer.AsSpan(0, count * size);
    }

    private void Commit(int count, Span<byte> bytes)
    {
        _stream.Write(bytes);
        _starts.Add(_starts[^1] + count / _rowWidth);
    }
}
