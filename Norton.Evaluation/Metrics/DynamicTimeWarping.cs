namespace Norton.Evaluation.Metrics;

/// <summary>
/// The DTW of the original's full-video metrics (<c>DTW_pad</c>, <c>DTW_eval_cum_dist</c>; docs/original-model.md §5.3),
/// ported literally, quirks included. All arithmetic is float32, as in the original.
/// </summary>
public static class DynamicTimeWarping
{
    /// <summary>
    /// Pads an (n × m) distance matrix to (<paramref name="targetRows"/> × <paramref name="targetColumns"/>).
    /// </summary>
    /// <remarks>
    /// With <c>d0 = targetRows − n</c> and <c>d1 = targetColumns − m</c>: the new rows and columns are +∞ (a
    /// negative amount crops instead), then <c>[-d0-1:, -d1:]</c> is set to 0. For <c>d1 &gt; 0</c> that frees the
    /// last original row and the rows below it in the padded columns, so a path may end at
    /// <c>min(C[n−1, m−1], C[n−2, m−1])</c>. For <c>d1 = 0</c> the slice <c>-0:</c> takes every column, so the whole
    /// last original row (and everything below) costs nothing.
    /// </remarks>
    /// <exception cref="ArgumentException">Empty matrix or non-positive targets.</exception>
    public static float[,] Pad(float[,] distances, int targetRows, int targetColumns)
    {
        PaddedDistance.Check(distances, targetRows, targetColumns);
        int d0 = targetRows - distances.GetLength(0), d1 = targetColumns - distances.GetLength(1);
        float[,] padded = PaddedDistance.PadOrCrop(distances, targetRows, targetColumns, float.PositiveInfinity);
        PaddedDistance.ZeroCorner(padded, -d0 - 1, -d1);
        return padded;
    }

    /// <summary>
    /// Cumulative cost <c>C</c>: <c>C[0,0] = D[0,0]</c>, the first row and column are running sums, and
    /// <c>C[l,m] = D[l,m] + min(C[l−1,m−1], C[l,m−1], C[l−1,m])</c>. The alignment cost is <c>C[^1, ^1]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Empty matrix.</exception>
    public static float[,] CumulativeCost(float[,] distances)
    {
        ArgumentNullException.ThrowIfNull(distances);
        int rows = distances.GetLength(0), columns = distances.GetLength(1);
        if (rows == 0 || columns == 0)
            throw new ArgumentException($"{nameof(distances)} must not be empty, but got {rows} × {columns}.", nameof(distances));
        var c = new float[rows, columns];
        c[0, 0] = distances[0, 0];
        for (int m = 1; m < columns; m++)
            c[0, m] = distances[0, m] + c[0, m - 1];
        for (int l = 1; l < rows; l++)
            c[l, 0] = distances[l, 0] + c[l - 1, 0];
        for (int l = 1; l < rows; l++)
            for (int m = 1; m < columns; m++)
                c[l, m] = distances[l, m] + MathF.Min(MathF.Min(c[l - 1, m - 1], c[l, m - 1]), c[l - 1, m]);
        return c;
    }
}
