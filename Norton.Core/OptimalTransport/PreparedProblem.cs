using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core.OptimalTransport;

/// <summary>
/// A problem in the form the solvers iterate on: batched, in the compute dtype, with the bucket appended and the
/// masks extended to it. Scores are not yet divided by epsilon (annealing changes epsilon).
/// </summary>
internal sealed class PreparedProblem : IDisposable
{
    public PreparedProblem(Tensor scores, Tensor logA, Tensor logB, Tensor logScale, Tensor? rowValid, Tensor? columnValid,
        long rows, long columns, bool bucket, bool batched)
    {
        Scores = scores;
        LogA = logA;
        LogB = logB;
        LogScale = logScale;
        RowValid = rowValid;
        ColumnValid = columnValid;
        Rows = rows;
        Columns = columns;
        HasBucket = bucket;
        Batched = batched;
    }

    /// <summary>(B, m', n') scores incl. the bucket (m' = m+1 with a bucket), compute dtype.</summary>
    public Tensor Scores { get; }

    /// <summary>(B, m') log row marginals; entries of masked rows are meaningless.</summary>
    public Tensor LogA { get; }

    /// <summary>(B, n') log column marginals.</summary>
    public Tensor LogB { get; }

    /// <summary>(B) log of the factor the returned plan is scaled by.</summary>
    public Tensor LogScale { get; }

    /// <summary>(B, m') valid rows incl. the bucket row, or null when all are valid.</summary>
    public Tensor? RowValid { get; }

    /// <summary>(B, n') valid columns, or null when all are valid (both masks are null or both set).</summary>
    public Tensor? ColumnValid { get; }

    public long Rows { get; }
    public long Columns { get; }
    public bool HasBucket { get; }
    public bool Batched { get; }
    public bool Masked => RowValid is not null;

    public Tensor MaskedLogA() => RowValid is null ? LogA.alias() : LogA.masked_fill(RowValid.logical_not(), Scalars.NegativeInfinity);

    public Tensor MaskedLogB() => ColumnValid is null ? LogB.alias() : LogB.masked_fill(ColumnValid.logical_not(), Scalars.NegativeInfinity);

    public void MoveToOuterDisposeScope()
    {
        Scores.MoveToOuterDisposeScope();
        LogA.MoveToOuterDisposeScope();
        LogB.MoveToOuterDisposeScope();
        LogScale.MoveToOuterDisposeScope();
        RowValid?.MoveToOuterDisposeScope();
        ColumnValid?.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Scores.Dispose();
        LogA.Dispose();
        LogB.Dispose();
        LogScale.Dispose();
        RowValid?.Dispose();
        ColumnValid?.Dispose();
    }
}
