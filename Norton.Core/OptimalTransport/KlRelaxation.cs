using Norton.Core.Validation;

namespace Norton.Core.OptimalTransport;

/// <summary>
/// Unbalanced optimal transport: the marginal constraints are replaced by KL penalties of strength
/// <see cref="TauA"/> (rows) and <see cref="TauB"/> (columns). In the log domain each potential update is damped by
/// <c>tau / (tau + epsilon)</c>, the exponent POT's <c>sinkhorn_unbalanced</c> uses (<c>reg_m / (reg_m + reg)</c>).
/// </summary>
public sealed record KlRelaxation
{
    private readonly double _tauA = double.PositiveInfinity;
    private readonly double _tauB = double.PositiveInfinity;

    /// <summary>Creates a relaxation; <see cref="double.PositiveInfinity"/> keeps that side balanced.</summary>
    public KlRelaxation(double tauA, double tauB)
    {
        TauA = tauA;
        TauB = tauB;
    }

    /// <summary>Row-marginal penalty (&gt; 0, may be +infinity).</summary>
    public double TauA
    {
        get => _tauA;
        init { CheckTau(value, nameof(TauA)); _tauA = value; }
    }

    /// <summary>Column-marginal penalty (&gt; 0, may be +infinity).</summary>
    public double TauB
    {
        get => _tauB;
        init { CheckTau(value, nameof(TauB)); _tauB = value; }
    }

    /// <summary>The damping exponent <c>tau / (tau + epsilon)</c> (1 for an infinite tau).</summary>
    public static double Damping(double tau, double epsilon) => double.IsPositiveInfinity(tau) ? 1.0 : tau / (tau + epsilon);

    private static void CheckTau(double value, string name)
    {
        if (double.IsNaN(value) || value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be > 0 (or +infinity), but is {value}.");
    }
}
