using Norton.Core.Validation;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core.OptimalTransport;

/// <summary>
/// An entropic optimal-transport problem (or a batch of them): the scores, the marginal rule, optional masks for ragged
/// problems, an optional prompt bucket and an optional KL relaxation. Shapes, dtypes and the bucket's rule are
/// validated here, without reading a value; the values (finite scores, a valid entry per mask row, balanced marginals)
/// when it is solved (<see cref="SinkhornOptions.CheckValues"/>), all in one device-to-host transfer.
/// </summary>
/// <remarks>
/// Scores are similarities (larger = more similar), so the kernel is <c>exp(scores/epsilon)</c>; for a cost matrix
/// <c>C</c> pass <c>-C</c>. A batch of problems of different sizes is padded to (B, m, n) with masks marking the valid
/// rows and columns of each problem; masked entries get no mass and their scores are ignored (they may hold anything
/// finite).
/// </remarks>
public sealed class TransportProblem
{
    /// <summary>Creates and validates a problem.</summary>
    /// <param name="scores">(m, n) or (B, m, n) floating-point similarities, finite (checked when solved).</param>
    /// <param name="marginals">The marginal rule; default <see cref="Marginals.SuperGlue"/> (Norton's).</param>
    /// <param name="rowMask">(m) or (B, m) bool: valid rows, at least one per problem (checked when solved); null = all valid.</param>
    /// <param name="columnMask">(n) or (B, n) bool: valid columns; null = all valid.</param>
    /// <param name="bucket">The alignable prompt bucket; requires <see cref="Marginals.SuperGlue"/>.</param>
    /// <param name="relaxation">KL relaxation of the marginals (unbalanced OT); null = balanced.</param>
    /// <exception cref="ArgumentException">An argument has the wrong rank, shape or dtype, the scores are empty, or a
    /// bucket comes without Norton's marginals; the message says which and why. Bad values are reported by
    /// <see cref="Sinkhorn.Solve"/>.</exception>
    public TransportProblem(Tensor scores, Marginals? marginals = null, Tensor? rowMask = null, Tensor? columnMask = null,
        PromptBucket? bucket = null, KlRelaxation? relaxation = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        Guard.Rank(scores, nameof(scores), 2, 3);
        Guard.FloatingPoint(scores, nameof(scores));
        if (scores.shape[^1] < 1 || scores.shape[^2] < 1 || (scores.dim() == 3 && scores.shape[0] < 1))
            throw new ArgumentException($"scores must not be empty, but has shape {Guard.Shape(scores)}.", nameof(scores));

        Scores = scores;
        Marginals = marginals ?? Marginals.SuperGlue;
        if (bucket is not null && !Marginals.SupportsBucket)
            throw new ArgumentException("A prompt bucket needs Norton's marginals (Marginals.SuperGlue), which size its row and column.", nameof(bucket));
        Batched = scores.dim() == 3;
        RowMask = CheckMask(rowMask, scores.shape[^2], nameof(rowMask));
        ColumnMask = CheckMask(columnMask, scores.shape[^1], nameof(columnMask));
        Bucket = bucket;
        Relaxation = relaxation;
    }

    /// <summary>The scores as given.</summary>
    public Tensor Scores { get; }

    /// <summary>The marginal rule.</summary>
    public Marginals Marginals { get; }

    /// <summary>Valid rows, or null.</summary>
    public Tensor? RowMask { get; }

    /// <summary>Valid columns, or null.</summary>
    public Tensor? ColumnMask { get; }

    /// <summary>The prompt bucket, or null.</summary>
    public PromptBucket? Bucket { get; }

    /// <summary>The KL relaxation, or null (balanced).</summary>
    public KlRelaxation? Relaxation { get; }

    /// <summary>True when the scores are (B, m, n).</summary>
    public bool Batched { get; }

    /// <summary>Rows of each problem (bucket excluded).</summary>
    public long Rows => Scores.shape[^2];

    /// <summary>Columns of each problem (bucket excluded).</summary>
    public long Columns => Scores.shape[^1];

    /// <summary>Problems in the batch (1 when unbatched).</summary>
    public long BatchSize => Batched ? Scores.shape[0] : 1;

    private Tensor? CheckMask(Tensor? mask, long size, string name)
    {
        if (mask is null) return null;
        if (mask.dtype != ScalarType.Bool)
            throw new ArgumentException($"{name} must be a bool tensor, but has dtype {mask.dtype}.", name);
        bool ok = Batched
            ? (mask.dim() == 2 && mask.shape[0] == Scores.shape[0] && mask.shape[1] == size) || (mask.dim() == 1 && mask.shape[0] == size)
            : mask.dim() == 1 && mask.shape[0] == size;
        if (!ok)
            throw new ArgumentException(
                $"{name} must have shape {(Batched ? $"[{Scores.shape[0]}, {size}] or " : "")}[{size}] to match scores {Guard.Shape(Scores)}, but has shape {Guard.Shape(mask)}.", name);
        return mask;
    }

    /// <summary>
    /// Adds the value checks of this problem to a solve's batched checks, in the order they report: the marginals'
    /// weights, finite scores, a valid entry in every mask row, balanced marginals (without a relaxation), a finite
    /// bucket tensor. <paramref name="prepared"/> is this problem prepared for the solve.
    /// </summary>
    internal void AddValueChecks(ValueChecks checks, PreparedProblem prepared)
    {
        if (!checks.Enabled) return;
        Marginals.AddValueChecks(checks);
        checks.Add(() => Scores.isfinite().logical_not().any(), () => Guard.Finite(Scores, "scores"));
        AddMaskCheck(checks, RowMask, "rowMask");
        AddMaskCheck(checks, ColumnMask, "columnMask");
        if (Relaxation is null && Marginals is LogWeightMarginals)
            checks.Add(() => BalanceGap(prepared).gt(Scalars.Zero).any(), () => ReportUnbalanced(prepared));
        Bucket?.AddValueChecks(checks);
    }

    private static Tensor MaskHasNoValidEntry(Tensor mask) => (mask.dim() == 2 ? mask.any(1) : mask.any().unsqueeze(0)).logical_not();

    private static void AddMaskCheck(ValueChecks checks, Tensor? mask, string name)
    {
        if (mask is null) return;
        checks.Add(() => MaskHasNoValidEntry(mask).any(), () =>
        {
            using var scope = NewDisposeScope();
            long which = MaskHasNoValidEntry(mask).nonzero()[0, 0].item<long>();
            throw new ArgumentException($"{name} leaves problem {which} with no valid entry; every problem needs at least one.", name);
        });
    }

    private static readonly Scalar BalanceTolerance = 1e-6.ToScalar();

    /// <summary>(B): how far the masses of the two marginals differ beyond the tolerance (positive = unbalanced).</summary>
    private static Tensor BalanceGap(PreparedProblem prepared)
    {
        var massA = prepared.MaskedLogA().logsumexp(1).exp();
        var massB = prepared.MaskedLogB().logsumexp(1).exp();
        return (massA - massB).abs() - maximum(massA, massB).mul(BalanceTolerance);
    }

    private static void ReportUnbalanced(PreparedProblem prepared)
    {
        using var scope = NewDisposeScope();
        var massA = prepared.MaskedLogA().logsumexp(1).exp();
        var massB = prepared.MaskedLogB().logsumexp(1).exp();
        long b = BalanceGap(prepared).argmax().item<long>();
        throw new ArgumentException(
            $"Balanced OT needs row and column marginals of equal mass, but problem {b} has {massA[b].to(float64).item<double>()} vs {massB[b].to(float64).item<double>()}; " +
            "rescale them or pass a KlRelaxation.", "marginals");
    }

    /// <summary>Builds the batched, augmented, compute-dtype form the solvers iterate on.</summary>
    internal PreparedProblem Prepare(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        long batch = BatchSize, m = Rows, n = Columns;
        var device = Scores.device;
        // alias(): the prepared problem owns (and disposes) its handles, never the caller's.
        Tensor? rowValid = RowMask is null ? null : Expand(RowMask, batch, m).to(device).alias();
        Tensor? colValid = ColumnMask is null ? null : Expand(ColumnMask, batch, n).to(device).alias();
        using var mScalar = ((double)m).ToScalar();
        using var nScalar = ((double)n).ToScalar();
        var rowCount = rowValid is null ? full(batch, mScalar, dtype: dtype, device: device) : rowValid.sum(1).to(dtype);
        var colCount = colValid is null ? full(batch, nScalar, dtype: dtype, device: device) : colValid.sum(1).to(dtype);
        bool hasBucket = Bucket is not null;
        var (logA, logB, logScale) = Marginals.Build(new MarginalContext(batch, m, n, rowCount, colCount, hasBucket, dtype, device));

        var s = (Batched ? Scores : Scores.unsqueeze(0)).to(dtype).alias();
        if (hasBucket)
        {
            var p = Bucket!.Expand(batch, dtype, device).view(batch, 1, 1);
            var top = cat([s, p.expand(batch, m, 1)], 2);            // (B, m, n+1)
            s = cat([top, p.expand(batch, 1, n + 1)], 1);           // (B, m+1, n+1), corner = p
        }
        if (hasBucket)
        {
            var one = ones(batch, 1, dtype: ScalarType.Bool, device: device);
            if (rowValid is not null) rowValid = cat([rowValid, one], 1);
            if (colValid is not null) colValid = cat([colValid, one], 1);
            if (rowValid is not null && colValid is null) colValid = ones(batch, n + 1, dtype: ScalarType.Bool, device: device);
            if (colValid is not null && rowValid is null) rowValid = ones(batch, m + 1, dtype: ScalarType.Bool, device: device);
        }
        else
        {
            if (rowValid is not null && colValid is null) colValid = ones(batch, n, dtype: ScalarType.Bool, device: device);
            if (colValid is not null && rowValid is null) rowValid = ones(batch, m, dtype: ScalarType.Bool, device: device);
        }
        var prepared = new PreparedProblem(s, logA.contiguous(), logB.contiguous(), logScale, rowValid, colValid, m, n, hasBucket, Batched);
        prepared.MoveToOuterDisposeScope();
        return prepared;
    }

    private static Tensor Expand(Tensor mask, long batch, long size) => mask.dim() == 1 ? mask.unsqueeze(0).expand(batch, size) : mask;
}
