namespace Norton.Evaluation.Metrics;

/// <summary>
/// OTAM (ordered temporal alignment, from TempCLR) as the original's full-video metrics compute it
/// (<c>OTAM_pad</c>, <c>OTAM_eval_cum_dist</c>; docs/original-model.md §5.3), ported literally, quirks included.
/// All arithmetic is float32, as in the original.
/// </summary>
public static class OrderedTemporalAlignment
{
    /// <summary>
    /// Adds a zero column on each side of an (n × m) matrix, then pads to
    /// (<paramref name="targetRows"/> × <paramref name="targetColumns"/> + 2).
    /// </summary>
    /// <remarks>
    /// <c>d0 = targetRows − n</c> and <c>d1 = targetColumns − m</c> are taken before the zero columns are added.
    /// New rows and columns are +∞; a negative amount crops from the bottom or right instead (the transposed call
    /// of the background-removed metric can see this). Then <c>[-d0-1:, -d1:]</c> is set to 0 with Python's slice
    /// rules: all columns when <c>d1 = 0</c>, and for a negative amount the slice starts <c>|d|</c> from the front.
    /// </remarks>
    /// <exception cref="ArgumentException">Empty matrix or non-positive targets.</exception>
    public static float[,] Pad(float[,] distances, int targetRows, int targetColumns)
    {
        PaddedDistance.Check(distances, targetRows, targetColumns);
        int n = distances.GetLength(0), m = distances.GetLength(1);
        int d0 = targetRows - n, d1 = targetColumns - m;
        var framed = new float[n, m + 2];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < m; c++)
                framed[r, c + 1] = distances[r, c];
        float[,] padded = PaddedDistance.PadOrCrop(framed, targetRows, targetColumns + 2, float.PositiveInfinity);
        PaddedDistance.ZeroCorner(padded, -d0 - 1, -d1);
        return padded;
    }

    /// <summary>
    /// The original's OTAM cumulative cost over an (R × W) padded matrix, W ≥ 3.
    /// </summary>
    /// <remarks>
    /// <c>C</c> starts at 0. Row 0: <c>C[0,m] = D[0,m] + C[0,m−1]</c> for m ≥ 1. Rows l ≥ 1: <c>C[l,0]</c> stays 0;
    /// <c>C[l,1] = D[l,1] − min(C[l−1,0], C[l−1,1], C[l,0])</c> (a <b>minus</b>, as written in the original);
    /// <c>C[l,m] = D[l,m] + min(C[l−1,m−1], C[l,m−1])</c> for 2 ≤ m ≤ W−2; and
    /// <c>C[l,W−1] = D[l,W−1] + min(C[l−1,W−2], C[l−1,W−1], C[l,W−2])</c>.
    /// </remarks>
    /// <exception cref="ArgumentException">Empty matrix or fewer than 3 columns (the two zero columns and one more).</exception>
    public static float[,] CumulativeCost(float[,] distances)
    {
        ArgumentNullException.ThrowIfNull(distances);
        int rows = distances.GetLength(0), columns = distances.GetLength(1);
        if (rows == 0 || columns < 3)
            throw new ArgumentException(
                $"{nameof(distances)} must have at least 1 row and 3 columns (padded by Pad), but got {rows} × {columns}.",
                nameof(distances));
        var c = new float[rows, columns];
        for (int m = 1; m < columns; m++)
            c[0, m] = distances[0, m] + c[0, m - 1];
        int last = columns - 1;
        for (int l = 1; l < rows; l++)
        {
            c[l, 1] = distances[l, 1] - MathF.Min(MathF.Min(c[l - 1, 0], c[l - 1, 1]), c[l, 0]);
            for (int m = 2; m < last; m++)
                c[l, m] = distances[l, m] + MathF.Min(c[l - 1, m - 1], c[l, m - 1]);
            c[l, last] = distances[l, last] + MathF.Min(MathF.Min(c[l - 1, last - 1], c[l - 1, last]), c[l, last - 1]);
        }
        return c;
    }
}
