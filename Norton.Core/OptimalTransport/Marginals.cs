using Norton.Core.Validation;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core.OptimalTransport;

/// <summary>
/// The marginal rule of a transport problem: which mass each row and column must carry, and how the returned plan is
/// scaled. Masked (ragged) rows and columns carry no mass; the rule is applied per problem to the valid ones.
/// </summary>
public abstract class Marginals
{
    private protected Marginals() { }

    /// <summary>
    /// Norton's (SuperGlue's) rule: every row and column carries <c>1/(m+n)</c>; with a prompt bucket the bucket row
    /// carries <c>n/(m+n)</c> and the bucket column <c>m/(m+n)</c>. The returned plan is scaled by <c>m+n</c>, so rows
    /// and columns of a square problem sum to about 1.
    /// </summary>
    public static Marginals SuperGlue { get; } = new SuperGlueMarginals();

    /// <summary>Uniform probability vectors: rows <c>1/m</c>, columns <c>1/n</c>; the plan sums to 1 (no scaling).</summary>
    public static Marginals Uniform { get; } = new UniformMarginals();

    /// <summary>
    /// Given log-weights: <paramref name="logRows"/> (m) or (B, m), <paramref name="logColumns"/> (n) or (B, n).
    /// <c>-infinity</c> entries carry no mass. Without a <see cref="KlRelaxation"/> both sides must have equal total
    /// mass. The plan is not scaled. Ranks and dtypes are checked here, values (no NaN or +infinity, balance) when the
    /// problem is solved (<see cref="SinkhornOptions.CheckValues"/>).
    /// </summary>
    public static Marginals FromLogWeights(Tensor logRows, Tensor logColumns) => new LogWeightMarginals(logRows, logColumns);

    /// <summary>
    /// Given weights (non-negative): <paramref name="rows"/> (m) or (B, m), <paramref name="columns"/> (n) or (B, n).
    /// Ranks and dtypes are checked here; that every weight is finite and non-negative, and the balance, when the
    /// problem is solved (<see cref="SinkhornOptions.CheckValues"/>; <see cref="Sinkhorn.Solve"/> then throws an
    /// <see cref="ArgumentException"/> naming <c>rows</c> or <c>columns</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A weight tensor is not floating-point or not of rank 1 or 2.</exception>
    public static Marginals FromWeights(Tensor rows, Tensor columns)
    {
        CheckWeightShape(rows, nameof(rows));
        CheckWeightShape(columns, nameof(columns));
        using var scope = NewDisposeScope();
        return new LogWeightMarginals(rows.log().MoveToOuterDisposeScope(), columns.log().MoveToOuterDisposeScope(), rows, columns);
    }

    /// <summary>True when this rule supports a prompt bucket (only <see cref="SuperGlue"/>).</summary>
    internal virtual bool SupportsBucket => false;

    /// <summary>
    /// Builds the per-problem log-marginals (B, m'), (B, n') (m' = m+1 with a bucket) and the log of the plan scale (B);
    /// the context's counts are the valid rows and columns of each problem (bucket excluded).
    /// </summary>
    internal abstract (Tensor LogA, Tensor LogB, Tensor LogScale) Build(MarginalContext context);

    /// <summary>Adds the checks of the rule's own values (given weights) to a solve's batched checks.</summary>
    internal virtual void AddValueChecks(ValueChecks checks) { }

    private protected static void CheckWeightShape(Tensor w, string name)
    {
        ArgumentNullException.ThrowIfNull(w, name);
        Guard.FloatingPoint(w, name);
        Guard.Rank(w, name, 1, 2);
    }
}

/// <summary>What a marginal rule needs to know about the problem.</summary>
internal readonly record struct MarginalContext(
    long Batch, long Rows, long Columns, Tensor RowCount, Tensor ColumnCount, bool Bucket, ScalarType DType, Device Device);

internal sealed class SuperGlueMarginals : Marginals
{
    internal override bool SupportsBucket => true;

    internal override (Tensor LogA, Tensor LogB, Tensor LogScale) Build(MarginalContext c)
    {
        // Same arithmetic as the original: log(m+n) of a tensor, -log(m+n) per entry, log(n) - log(m+n) for the bucket.
        var logMn = c.RowCount.add(c.ColumnCount, Scalars.One).log();                       // (B)
        var logA = (-logMn).unsqueeze(1).expand(c.Batch, c.Rows);
        var logB = (-logMn).unsqueeze(1).expand(c.Batch, c.Columns);
        if (c.Bucket)
        {
            logA = cat([logA, (c.ColumnCount.log() - logMn).unsqueeze(1)], 1);
            logB = cat([logB, (c.RowCount.log() - logMn).unsqueeze(1)], 1);
        }
        return (logA, logB, logMn);
    }
}

internal sealed class UniformMarginals : Marginals
{
    internal override (Tensor LogA, Tensor LogB, Tensor LogScale) Build(MarginalContext c)
    {
        var logA = (-c.RowCount.log()).unsqueeze(1).expand(c.Batch, c.Rows);
        var logB = (-c.ColumnCount.log()).unsqueeze(1).expand(c.Batch, c.Columns);
        return (logA, logB, zeros(c.Batch, dtype: c.DType, device: c.Device));
    }
}

internal sealed class LogWeightMarginals : Marginals
{
    private readonly Tensor _logRows;
    private readonly Tensor _logColumns;
    private readonly Tensor? _rows;
    private readonly Tensor? _columns;

    /// <summary>Log-weights; <paramref name="rows"/> and <paramref name="columns"/> are the weights they came from
    /// (<see cref="Marginals.FromWeights"/>), checked instead when given.</summary>
    public LogWeightMarginals(Tensor logRows, Tensor logColumns, Tensor? rows = null, Tensor? columns = null)
    {
        CheckWeightShape(logRows, nameof(logRows));
        CheckWeightShape(logColumns, nameof(logColumns));
        _logRows = logRows;
        _logColumns = logColumns;
        _rows = rows;
        _columns = columns;
    }

    internal override void AddValueChecks(ValueChecks checks)
    {
        if (_rows is not null && _columns is not null)
        {
            AddWeightChecks(checks, _rows, "rows");
            AddWeightChecks(checks, _columns, "columns");
            return;
        }
        AddLogWeightCheck(checks, _logRows, "logRows");
        AddLogWeightCheck(checks, _logColumns, "logColumns");
    }

    internal override (Tensor LogA, Tensor LogB, Tensor LogScale) Build(MarginalContext c)
    {
        var logA = Expand(_logRows, c.Batch, c.Rows, "logRows", c);
        var logB = Expand(_logColumns, c.Batch, c.Columns, "logColumns", c);
        return (logA, logB, zeros(c.Batch, dtype: c.DType, device: c.Device));
    }

    private static Tensor Expand(Tensor w, long batch, long size, string name, MarginalContext c)
    {
        if (w.shape[^1] != size || (w.dim() == 2 && w.shape[0] != batch && w.shape[0] != 1))
            throw new ArgumentException(
                $"{name} must have shape [{size}] or [{batch}, {size}] to match the scores, but has shape {Guard.Shape(w)}.", name);
        var t = w.to(c.DType, c.Device);
        return (t.dim() == 1 ? t.unsqueeze(0) : t).expand(batch, size);
    }

    private static void AddWeightChecks(ValueChecks checks, Tensor w, string name)
    {
        checks.Add(() => w.isfinite().logical_not().any(), () => Guard.Finite(w, name));
        checks.Add(() => w.lt(Scalars.Zero).any(), () =>
            throw new ArgumentException($"{name} must be non-negative, but its smallest weight is {w.min().to(float64).item<double>()}.", name));
    }

    private static void AddLogWeightCheck(ValueChecks checks, Tensor w, string name) =>
        checks.Add(() => w.isnan().logical_or(w.isposinf()).any(), () =>
            throw new ArgumentException($"{name} must hold finite log-weights or -infinity, but holds NaN or +infinity.", name));
}
