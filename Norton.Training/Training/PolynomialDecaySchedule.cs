namespace Norton.Training;

/// <summary>
/// fairseq's <c>polynomial_decay</c> learning-rate schedule, as the paper's config uses it: a linear warm-up
/// <c>lr * n / warmup</c> for <c>n &lt;= warmup</c> (so update 0 runs with learning rate 0), then
/// <c>(lr - end) * (1 - (n - warmup) / (total - warmup))^power + end</c>, and <c>end</c> from <c>total</c> on.
/// <c>n</c> is the number of updates done before the update that uses the rate.
/// </summary>
public sealed record PolynomialDecaySchedule
{
    /// <summary>Creates a schedule; see docs/training.md for the paper's values (1e-5, 1,000, 1,000,000, 0, 1).</summary>
    /// <param name="peakLearningRate">The config's <c>lr</c>, &gt; 0.</param>
    /// <param name="warmupUpdates">The config's <c>warmup_updates</c>, &gt;= 0 and &lt; <paramref name="totalNumUpdate"/>.</param>
    /// <param name="totalNumUpdate">The config's <c>total_num_update</c>, &gt; 0.</param>
    /// <param name="endLearningRate">fairseq's <c>end_learning_rate</c>, in [0, lr].</param>
    /// <param name="power">fairseq's <c>power</c>, &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value outside the range above.</exception>
    public PolynomialDecaySchedule(double peakLearningRate, long warmupUpdates, long totalNumUpdate, double endLearningRate = 0, double power = 1)
    {
        if (!(peakLearningRate > 0) || !double.IsFinite(peakLearningRate))
            throw new ArgumentOutOfRangeException(nameof(peakLearningRate), peakLearningRate, "the learning rate must be a positive finite number.");
        if (totalNumUpdate <= 0)
            throw new ArgumentOutOfRangeException(nameof(totalNumUpdate), totalNumUpdate, "total_num_update must be positive.");
        if (warmupUpdates < 0 || warmupUpdates >= totalNumUpdate)
            throw new ArgumentOutOfRangeException(nameof(warmupUpdates), warmupUpdates,
                $"warmup_updates must lie in [0, total_num_update = {totalNumUpdate}).");
        if (!(endLearningRate >= 0) || endLearningRate > peakLearningRate)
            throw new ArgumentOutOfRangeException(nameof(endLearningRate), endLearningRate, $"end_learning_rate must lie in [0, lr = {peakLearningRate}].");
        if (!(power > 0) || !double.IsFinite(power))
            throw new ArgumentOutOfRangeException(nameof(power), power, "power must be a positive finite number.");
        PeakLearningRate = peakLearningRate;
        WarmupUpdates = warmupUpdates;
        TotalNumUpdate = totalNumUpdate;
        EndLearningRate = endLearningRate;
        Power = power;
    }

    /// <summary>The peak learning rate (<c>lr</c>).</summary>
    public double PeakLearningRate { get; }

    /// <summary>Updates of linear warm-up.</summary>
    public long WarmupUpdates { get; }

    /// <summary>The update at which the rate reaches <see cref="EndLearningRate"/>.</summary>
    public long TotalNumUpdate { get; }

    /// <summary>The final rate.</summary>
    public double EndLearningRate { get; }

    /// <summary>Exponent of the decay.</summary>
    public double Power { get; }

    /// <summary>The rate of the update that follows <paramref name="numUpdates"/> completed updates.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numUpdates"/> is negative.</exception>
    public double LearningRate(long numUpdates)
    {
        if (numUpdates < 0)
            throw new ArgumentOutOfRangeException(nameof(numUpdates), numUpdates, "the number of updates cannot be negative.");
        if (WarmupUpdates > 0 && numUpdates <= WarmupUpdates)
            return numUpdates / (double)WarmupUpdates * PeakLearningRate;
        if (numUpdates >= TotalNumUpdate)
            return EndLearningRate;
        double remaining = 1 - (numUpdates - WarmupUpdates) / (double)(TotalNumUpdate - WarmupUpdates);
        return (PeakLearningRate - EndLearningRate) * Math.Pow(remaining, Power) + EndLearningRate;
    }
}
