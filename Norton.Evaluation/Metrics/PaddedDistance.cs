namespace Norton.Evaluation.Metrics;

/// <summary>
/// The array mechanics behind the original's <c>DTW_pad</c> and <c>OTAM_pad</c>: <c>F.pad</c> with possibly
/// negative amounts (which crop) and Python's open-ended slices <c>[-k:]</c>.
/// </summary>
internal static class PaddedDistance
{
    /// <summary>Copies <paramref name="source"/> into a (rows × columns) array at the top left, filling the rest.</summary>
    public static float[,] PadOrCrop(float[,] source, int rows, int columns, float fill)
    {
        var result = new float[rows, columns];
        int keepRows = Math.Min(rows, source.GetLength(0)), keepColumns = Math.Min(columns, source.GetLength(1));
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                result[r, c] = r < keepRows && c < keepColumns ? source[r, c] : fill;
        return result;
    }

    /// <summary>Where Python's slice <c>[start:]</c> begins on a dimension of length <paramref name="length"/>.</summary>
    /// <remarks><c>[-0:]</c> is <c>[0:]</c>: everything. This is the quirk docs/original-model.md §5.3 asks to keep.</remarks>
    public static int SliceStart(int start, int length) =>
        start < 0 ? Math.Max(length + start, 0) : Math.Min(start, length);

    /// <summary>Sets <c>d[rowStart:, columnStart:] = 0</c> with Python's slice rules (negative = from the end).</summary>
    public static void ZeroCorner(float[,] d, int rowStart, int columnStart)
    {
        int rows = d.GetLength(0), columns = d.GetLength(1);
        int r0 = SliceStart(rowStart, rows), c0 = SliceStart(columnStart, columns);
        for (int r = r0; r < rows; r++)
            for (int c = c0; c < columns; c++)
                d[r, c] = 0f;
    }

    /// <summary>Throws unless the matrix is non-empty and the targets are positive.</summary>
    public static void Check(float[,] distances, int targetRows, int targetColumns)
    {
        ArgumentNullException.ThrowIfNull(distances);
        if (distances.GetLength(0) == 0 || distances.GetLength(1) == 0)
            throw new ArgumentException(
                $"{nameof(distances)} must not be empty, but got {distances.GetLength(0)} × {distances.GetLength(1)}.", nameof(distances));
        if (targetRows < 1 || targetColumns < 1)
            throw new ArgumentException(
                $"target lengths must be positive, but got {targetRows} × {targetColumns}.", nameof(targetRows));
    }
}
