namespace Norton.Evaluation.Metrics;

/// <summary>
/// The one ranking rule of every retrieval metric here (docs/original-model.md §5.2, §5.3).
/// </summary>
/// <remarks>
/// The original ranks with numpy's argsort, ascending, and reads the order from the end (most similar last). With a
/// stable sort, of several equal scores the one with the higher column index comes last, i.e. ranks first. numpy's
/// default sort is not guaranteed to be stable (it is for rows shorter than 17, where it falls back to insertion
/// sort), so this fixes the stable reading:
/// <c>rank = #{j : s_j &gt; s_target} + #{j &gt; target : s_j = s_target}</c> (0-based).
/// </remarks>
internal static class RetrievalRanking
{
    /// <summary>0-based rank of <paramref name="target"/> in <paramref name="row"/> sorted by descending score.</summary>
    public static int RankOf(ReadOnlySpan<double> row, int target)
    {
        double own = row[target];
        int rank = 0;
        for (int j = 0; j < row.Length; j++)
        {
            if (row[j] > own || (j > target && row[j] == own))
                rank++;
        }
        return rank;
    }

    /// <summary>Rank of the diagonal entry of each row of a row-major (rows × columns) matrix, rows ≤ columns.</summary>
    public static int[] DiagonalRanks(double[] matrix, int rows, int columns)
    {
        var ranks = new int[rows];
        for (int i = 0; i < rows; i++)
            ranks[i] = RankOf(matrix.AsSpan(i * columns, columns), i);
        return ranks;
    }

    /// <summary>Fraction of ranks below <paramref name="k"/> (recall at k).</summary>
    public static double RecallAt(int[] ranks, int k)
    {
        int hits = 0;
        foreach (int r in ranks)
            if (r < k) hits++;
        return (double)hits / ranks.Length;
    }
}
