using Norton.Core.Validation;
namespace Norton.Evaluation.Metrics;

/// <summary>
/// The background removal of the original's <c>FullVideoBGRetrievalMetric</c> (docs/original-model.md §5.4, after TempCLR):
/// keep the video windows that best match some caption, in temporal order.
/// </summary>
public static class BackgroundWindowSelection
{
    /// <summary>
    /// Indices of the kept columns of a (captions × windows) distance matrix, ascending.
    /// </summary>
    /// <param name="distances">Distances, smaller = better match.</param>
    /// <param name="ratio">Keep <c>⌊ratio · captions⌋</c> windows (1.3 in the original), or all if there are fewer.</param>
    /// <returns>
    /// The windows with the smallest <c>μ_w = min_c distances[c, w]</c>, sorted by index. Equal μ are taken in index
    /// order (the stable reading of the original's <c>torch.argsort</c>).
    /// </returns>
    /// <exception cref="ArgumentException">Empty matrix, NaN, or a ratio that is not positive and finite or keeps no window.</exception>
    public static int[] Select(float[,] distances, double ratio)
    {
        ArgumentNullException.ThrowIfNull(distances);
        int rows = distances.GetLength(0), columns = distances.GetLength(1);
        if (rows == 0 || columns == 0)
            throw new ArgumentException($"{nameof(distances)} must not be empty, but got {rows} × {columns}.", nameof(distances));
        if (!double.IsFinite(ratio) || ratio <= 0)
            throw new ArgumentException($"{nameof(ratio)} must be positive and finite, but got {ratio}.", nameof(ratio));
        var best = new float[columns];
        for (int c = 0; c < columns; c++)
        {
            float m = float.PositiveInfinity;
            for (int r = 0; r < rows; r++)
            {
                float d = distances[r, c];
                if (float.IsNaN(d))
                    throw Guard.Argument(nameof(distances), "hold no NaN", $"holds one at [{r}, {c}]");
                if (d < m) m = d;
            }
            best[c] = m;
        }
        // Python's int(1.3 * n): the product in float64, truncated (1.3·10 = 13.000000000000002 → 13).
        int keep = Math.Min(columns, (int)(ratio * rows));
        if (keep < 1)
            throw new ArgumentException(
                $"{nameof(ratio)} {ratio} keeps ⌊{ratio}·{rows}⌋ = 0 windows; it must keep at least one.", nameof(ratio));
        int[] order = Enumerable.Range(0, columns).OrderBy(c => best[c]).ToArray(); // OrderBy is stable
        int[] kept = order[..keep];
        Array.Sort(kept);
        return kept;
    }
}
