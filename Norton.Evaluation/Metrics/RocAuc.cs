namespace Norton.Evaluation.Metrics;

/// <summary>
/// Area under the ROC curve as sklearn's <c>roc_auc_score</c> computes it (trapezoids through the points of each
/// distinct threshold), via its equivalent: the Mann–Whitney statistic with tied scores counted ½.
/// </summary>
internal static class RocAuc
{
    /// <summary>AUC of scores against binary labels, or null when only one class is present.</summary>
    public static double? Compute(IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        int n = scores.Count;
        int[] order = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
        long positives = labels.Count(x => x);
        long negatives = n - positives;
        if (positives == 0 || negatives == 0)
            return null;
        // Sum the average (1-based) rank of every positive; equal scores share the mean of their ranks.
        double rankSum = 0;
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
            double averageRank = (i + j + 2) / 2.0;
            for (int t = i; t <= j; t++)
                if (labels[order[t]]) rankSum += averageRank;
            i = j + 1;
        }
        double u = rankSum - positives * (positives + 1) / 2.0;
        return u / ((double)positives * negatives);
    }
}
