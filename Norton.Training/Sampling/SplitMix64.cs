namespace Norton.Training.Sampling;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): the random source of the golden sampler traces. <c>RandInt(a, b)</c> is
/// <c>a + next() % (b - a + 1)</c> and <c>Random()</c> is <c>(next() &gt;&gt; 11) * 2^-53</c>. Its whole state is
/// one 64-bit word (<see cref="State"/>), so a checkpoint can save and restore it exactly.
/// </summary>
public sealed class SplitMix64 : IRandomSource
{
    /// <summary>A source starting from <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => State = seed;

    /// <summary>The current state; assigning it restores a saved source.</summary>
    public ulong State { get; set; }

    /// <summary>The next raw 64-bit output.</summary>
    public ulong Next()
    {
        unchecked
        {
            State += 0x9E3779B97F4A7C15UL;
            ulong z = State;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <inheritdoc />
    public long RandInt(long low, long high)
    {
        if (high < low)
            throw new ArgumentOutOfRangeException(nameof(high), high, $"randint needs low <= high; got low {low}, high {high}.");
        ulong span = (ulong)(high - low) + 1UL;
        return low + (long)(Next() % span);
    }

    /// <inheritdoc />
    public double Random() => (Next() >> 11) * (1.0 / (1UL << 53));
}
