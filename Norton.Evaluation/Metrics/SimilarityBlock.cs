using Norton.Core.Validation;
using static TorchSharp.torch;

namespace Norton.Evaluation.Metrics;

/// <summary>
/// A read-only (captions × clips) window into a similarity matrix: the captions of one paragraph against the clips
/// (or windows) of one video. Larger values mean more similar. It views the caller's array; nothing is copied.
/// </summary>
public readonly struct SimilarityBlock
{
    private readonly float[] _values;
    private readonly int _offset;
    private readonly int _stride;

    /// <summary>Number of captions (rows).</summary>
    public int Rows { get; }

    /// <summary>Number of video clips or windows (columns).</summary>
    public int Columns { get; }

    internal SimilarityBlock(float[] values, int offset, int stride, int rows, int columns)
    {
        _values = values;
        _offset = offset;
        _stride = stride;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Similarity of caption <paramref name="row"/> and clip <paramref name="column"/>.</summary>
    public float this[int row, int column]
    {
        get
        {
            if ((uint)row >= (uint)Rows || (uint)column >= (uint)Columns)
                throw new ArgumentOutOfRangeException(
                    nameof(row), $"[{row}, {column}] is outside the {Rows} × {Columns} block.");
            return _values[_offset + row * _stride + column];
        }
    }

    /// <summary>The similarities of caption <paramref name="row"/> to every clip.</summary>
    public ReadOnlySpan<float> Row(int row)
    {
        if ((uint)row >= (uint)Rows)
            throw new ArgumentOutOfRangeException(nameof(row), $"row {row} is outside the block's {Rows} rows.");
        return _values.AsSpan(_offset + row * _stride, Columns);
    }

    /// <summary>Copies the block into a new (Rows, Columns) array.</summary>
    public float[,] ToArray()
    {
        var result = new float[Rows, Columns];
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Columns; c++)
                result[r, c] = _values[_offset + r * _stride + c];
        return result;
    }

    /// <summary>Copies the block into a new float32 CPU tensor of shape (Rows, Columns), e.g. for an OT scorer.</summary>
    public Tensor ToTensor()
    {
        var flat = new float[Rows * Columns];
        for (int r = 0; r < Rows; r++)
            Array.Copy(_values, _offset + r * _stride, flat, r * Columns, Columns);
        return tensor(flat, new long[] { Rows, Columns });
    }

    /// <summary>Makes a block from a copy of a non-empty 2-D array (handy for tests and single pairs).</summary>
    /// <exception cref="ArgumentException">The array is empty or contains NaN.</exception>
    public static SimilarityBlock FromArray(float[,] similarity)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        int rows = similarity.GetLength(0), columns = similarity.GetLength(1);
        if (rows == 0 || columns == 0)
            throw new ArgumentException($"{nameof(similarity)} must not be empty, but got {rows} × {columns}.", nameof(similarity));
        var flat = new float[rows * columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                float v = similarity[r, c];
                if (float.IsNaN(v))
                    throw Guard.Argument(nameof(similarity), "hold no NaN", $"holds one at [{r}, {c}]");
                flat[r * columns + c] = v;
            }
        return new SimilarityBlock(flat, 0, columns, rows, columns);
    }
}
