using Norton.Core.Validation;

namespace Norton.Core.OptimalTransport;

/// <summary>
/// Settings of the log-domain Sinkhorn solver. Immutable; every property is validated when it is set.
/// The defaults are Norton's: epsilon 1, 50 iterations, no convergence test, plan detached.
/// </summary>
public sealed record SinkhornOptions
{
    private readonly double _epsilon = 1.0;
    private readonly int _maxIterations = 50;
    private readonly double? _tolerance;
    private readonly int _checkEvery = 10;
    private readonly SinkhornBackend _backend = SinkhornBackend.Auto;

    /// <summary>Entropic regularisation: the kernel is <c>exp(scores / Epsilon)</c>. Finite and &gt; 0.</summary>
    public double Epsilon
    {
        get => _epsilon;
        init { Guard.Positive(value, nameof(Epsilon)); _epsilon = value; }
    }

    /// <summary>
    /// Iteration count (&gt;= 0). Without <see cref="Tolerance"/> exactly this many sweeps run (rows first, then
    /// columns), reproducing Norton's iterate; 0 returns the unnormalised kernel.
    /// </summary>
    public int MaxIterations
    {
        get => _maxIterations;
        init { Guard.AtLeast(value, 0, nameof(MaxIterations)); _maxIterations = value; }
    }

    /// <summary>
    /// Stop once the L1 row-marginal error of every problem is at most this (checked every <see cref="CheckEvery"/>
    /// sweeps, after the column update); null: no test, fixed iteration count. Problems that converge stop updating
    /// while the others go on, so a batch gives the same answer as its problems solved one by one.
    /// </summary>
    public double? Tolerance
    {
        get => _tolerance;
        init
        {
            if (value is double v) Guard.Positive(v, nameof(Tolerance));
            _tolerance = value;
        }
    }

    /// <summary>How many sweeps between convergence checks (&gt;= 1).</summary>
    public int CheckEvery
    {
        get => _checkEvery;
        init { Guard.AtLeast(value, 1, nameof(CheckEvery)); _checkEvery = value; }
    }

    /// <summary>Gradient mode; see <see cref="SinkhornGradient"/>.</summary>
    public SinkhornGradient Gradient { get; init; } = SinkhornGradient.Detach;

    /// <summary>Optional epsilon annealing down to <see cref="Epsilon"/>; convergence is tested only at the target.</summary>
    public EpsilonAnnealing? Annealing { get; init; }

    /// <summary>
    /// Which implementation runs the sweeps (default <see cref="SinkhornBackend.Auto"/>). A backend named here that
    /// cannot run the problem makes <see cref="Sinkhorn.Solve"/> throw an <see cref="ArgumentException"/> saying why.
    /// </summary>
    public SinkhornBackend Backend
    {
        get => _backend;
        init
        {
            if (!Enum.IsDefined(value))
                throw new ArgumentOutOfRangeException(nameof(Backend), value, $"{nameof(Backend)} must be one of {string.Join(", ", Enum.GetNames<SinkhornBackend>())}, but was {(int)value}.");
            _backend = value;
        }
    }

    /// <summary>
    /// Whether <see cref="Sinkhorn.Solve"/> checks the values of its inputs (default true): finite scores, warm starts
    /// and bucket value, a valid row and column in every problem, weights that are log-weights (no NaN or
    /// +infinity) or non-negative, balanced marginals. Shapes, dtypes and devices are always checked, without reading
    /// a value.
    /// </summary>
    /// <remarks>
    /// <para>On, every value check of a solve is computed on the device and read back in ONE device-to-host transfer
    /// (a sync on a GPU) before the sweeps; a failed check throws an <see cref="ArgumentException"/> naming the
    /// argument. Off, nothing is checked or read: bad values give NaN plans, as in the original. Turn it off for
    /// production training on a device when the inputs are known to be valid (Norton.Losses does, having checked the
    /// features its scores come from).</para>
    /// <para>With it off, a solve makes no transfer at all, except where the algorithm itself needs a value: a
    /// <see cref="Tolerance"/> reads one flag per convergence test (to stop), and <see cref="SinkhornBackend.Scaling"/>
    /// reads its range test: in place for CPU scores (no transfer, no sync), one transfer for scores on a device.
    /// So with it off <see cref="SinkhornBackend.Auto"/> keeps <see cref="SinkhornBackend.Scaling"/> for large
    /// problems on the CPU (same choice and speed as with checks on) and runs <see cref="SinkhornBackend.LogDomain"/>
    /// for them on a device, reading nothing. See docs/performance.md, "Host reads of the loss".</para>
    /// </remarks>
    public bool CheckValues { get; init; } = true;

    /// <summary>Norton's settings for the clip-caption plan (epsilon 1, 50 iterations).</summary>
    public static SinkhornOptions Norton { get; } = new();
}
