using System.Globalization;
using Norton.Training.Sampling;

namespace Norton.Training.Tests.Sampling;

/// <summary>A random source that logs every draw in the golden files' format.</summary>
internal sealed class RecordingRandomSource(IRandomSource inner) : IRandomSource
{
    public List<string> Log { get; } = new();

    public long RandInt(long low, long high)
    {
        long value = inner.RandInt(low, high);
        Log.Add($"randint {low} {high} {value}");
        return value;
    }

    public double Random()
    {
        double value = inner.Random();
        Log.Add("random " + value.ToString("R", CultureInfo.InvariantCulture));
        return value;
    }
}
