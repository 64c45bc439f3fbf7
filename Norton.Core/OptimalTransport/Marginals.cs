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
    /// mass. The plan is not scaled.
    /// </summary>
    public static Marginals FromLogWeights(Tensor logRows, Tensor logColumns) => new LogWeightMarginals(logRows, logColumns);

    /// <summary>
    /// Given weights (non-negative): <paramref name="rows"/> (m) or (B, m), <paramref name="columns"/> (n) or (B, n).
    /// </summary>
    /// <exception cref="ArgumentException">A weight is negative, NaN or infinite.</exception>
    public static Marginals FromWeights(Tensor rows, Tensor columns)
    {
        CheckWeights(rows, nameof(rows));
        CheckWeights(columns, nameof(columns));
        using var scope = NewDisposeScope();
        return new LogWeightMarginals(rows.log().MoveToOuterDisposeScope(), columns.log().MoveToOuterDisposeScope());
    }

    /// <summary>True when this rule supports a prompt bucket (only <see cref="SuperGlue"/>).</summary>
    internal virtual bool SupportsBucket => false;

    /// <summary>
    /// Builds the per-problem log-marginals (B, m'), (B, n') (m' = m+1 with a bucket) and the log of the plan scale (B);
    /// the context's counts are the valid rows and columns of each problem (bucket excluded).
    /// </summary>
    internal abstract (Tensor LogA, Tensor LogB, Tensor LogScale) Build(MarginalContext context);

    private static void CheckWeights(Tensor w, string name)
    {
        Guard.FloatingPoint(w, name);
        Guard.Rank(w, name, 1, 2);
        Guard.Finite(w, name);
        using var scope = NewDisposeScope();
        if (w.lt(Scalars.Zero).any().item<bool>())
            throw new ArgumentException($"{name} must be non-negative, but its smallest weight is {w.min().to(float64).item<double>()}.", name);
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

    public LogWeightMarginals(Tensor logRows, Tensor logColumns)
    {
        Check(logRows, nameof(logRows));
        Check(logColumns, nameof(logColumns));
        _logRows = logRows;
        _logColumns = logColumns;
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

    private static void Check(Tensor w, string name)
    {
        Guard.FloatingPoint(w, name);
        Guard.Rank(w, name, 1, 2);
        using var scope = NewDisposeScope();
        if (w.isnan().any().item<bool>() || w.isposinf().any().item<bool>())
            throw new ArgumentException($"{name} must hold finite log-weights or -infinity, but holds NaN or +infinity.", name);
    }
}
