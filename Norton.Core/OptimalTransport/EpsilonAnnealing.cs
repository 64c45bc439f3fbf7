using Norton.Core.Validation;

namespace Norton.Core.OptimalTransport;

/// <summary>
/// A geometric epsilon schedule: iteration <c>t</c> (0-based) uses <c>max(target, Initial * Decay^t)</c>, as OTT-JAX's
/// epsilon scheduler does. Large epsilon first spreads the potentials quickly; the solve then continues at the target.
/// </summary>
public sealed record EpsilonAnnealing
{
    private readonly double _initial = 1.0;
    private readonly double _decay = 0.9;

    /// <summary>Epsilon of the first iteration (> 0). Values below the target epsilon are clamped up to it.</summary>
    public double Initial
    {
        get => _initial;
        init { Guard.Positive(value, nameof(Initial)); _initial = value; }
    }

    /// <summary>Factor per iteration, in (0, 1).</summary>
    public double Decay
    {
        get => _decay;
        init
        {
            if (!(value > 0 && value < 1))
                throw new ArgumentOutOfRangeException(nameof(Decay), value, $"{nameof(Decay)} must lie in (0, 1), but is {value}.");
            _decay = value;
        }
    }

    /// <summary>Epsilon at iteration <paramref name="iteration"/> for the target <paramref name="target"/>.</summary>
    public double EpsilonAt(int iteration, double target) => Math.Max(target, _initial * Math.Pow(_decay, iteration));

    /// <summary>The first iteration at which the schedule has reached <paramref name="target"/>.</summary>
    public int IterationsToTarget(double target)
    {
        if (_initial <= target) return 0;
        return (int)Math.Ceiling(Math.Log(target / _initial) / Math.Log(_decay));
    }
}
