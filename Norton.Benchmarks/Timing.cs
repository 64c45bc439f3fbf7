using System.Diagnostics;

namespace Norton.Benchmarks;

/// <summary>Wall-clock timing for the profile commands.</summary>
public static class Timing
{
    /// <summary>Runs <paramref name="action"/> <paramref name="warmup"/> times untimed, then <paramref name="runs"/> times timed; milliseconds per run.</summary>
    public static double[] Measure(Action action, long runs, long warmup)
    {
        for (long k = 0; k < warmup; k++) action();
        var times = new double[runs];
        for (long k = 0; k < runs; k++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[k] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return times;
    }

    /// <summary>The median (mean of the middle two for an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>Rounds to microseconds for printing.</summary>
    public static double Ms(double value) => Math.Round(value, 3);
}
