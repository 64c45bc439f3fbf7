namespace Norton.Training.Sampling;

/// <summary>
/// The two draws the original's data path makes through Python's <c>random</c> module: <c>randint(a, b)</c> with
/// inclusive bounds and <c>random()</c> in [0, 1). Every random choice of the sampler and the batch planner goes
/// through one of these, so that a seeded source reproduces the original's traces draw for draw.
/// </summary>
public interface IRandomSource
{
    /// <summary>A uniform integer in [<paramref name="low"/>, <paramref name="high"/>], both inclusive.</summary>
    long RandInt(long low, long high);

    /// <summary>A uniform double in [0, 1).</summary>
    double Random();
}
