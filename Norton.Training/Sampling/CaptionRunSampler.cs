namespace Norton.Training.Sampling;

/// <summary>
/// The original's text clip sampler (<c>TextClipSamplingProcessor</c> with <c>keep_prob</c> 1.0): grows a run of
/// consecutive captions around a start caption until it holds a token budget or spans too many seconds.
/// </summary>
internal static class CaptionRunSampler
{
    // The original's "skip the next caption?" test is random() > keep_prob with keep_prob 1.0: never true, but the
    // number is still drawn, and the golden draw logs count it.
    private const double KeepProbability = 1.0;

    /// <summary>The run [first, last] grown from <paramref name="center"/>.</summary>
    public static (int First, int Last) Sample(double[] start, double[] end, int[][] tokens, int center, int budget,
        double maxSpanSeconds, IRandomSource random)
    {
        int n = start.Length;
        int first = center, endExclusive = center + 1;
        long textLength = tokens[center].Length;
        double span = Math.Max(0.0, end[center] - start[center]);
        while ((first > 0 || endExclusive < n) && textLength < budget && span < maxSpanSeconds)
        {
            if (random.Random() > 0.5 && endExclusive < n)
            {
                _ = random.Random() > KeepProbability;
                textLength += tokens[endExclusive].Length;
                endExclusive++;
            }
            else if (first > 0)
            {
                _ = random.Random() > KeepProbability;
                first--;
                textLength += tokens[first].Length;
            }
            else if (endExclusive < n)
            {
                _ = random.Random() > KeepProbability;
                textLength += tokens[endExclusive].Length;
                endExclusive++;
            }
            else
            {
                break;
            }
            span = Math.Max(0.0, end[endExclusive - 1] - start[first]);
        }
        return (first, endExclusive - 1);
    }
}
