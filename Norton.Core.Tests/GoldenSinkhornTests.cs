using Norton.Core.OptimalTransport;
using Norton.TestSupport;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Core.Tests;

/// <summary>Every <c>sinkhorn_*</c> case of testdata/golden and of each NORTON_GOLDEN_DIRS folder.</summary>
public class GoldenSinkhornTests
{
    public static TheoryData<CaseRef> Cases => GoldenCase.Paths("sinkhorn_");

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesOriginal(CaseRef path)
    {
        var c = GoldenCase.Load(path);
        using var scope = NewDisposeScope();
        var scores = c.Tensor("inputs", "scores");
        double eps = c.Get("params", "eps").GetDouble();
        int iterations = c.Get("params", "iterations").GetInt32();
        PromptBucket? bucket = c.Kind == "sinkhorn_bucket"
            ? PromptBucket.FromTensor(tensor(c.Get("inputs", "bucket").GetDouble(), dtype: scores.dtype))
            : null;
        Assert.Equal(c.DType, scores.dtype);

        using var result = Sinkhorn.Solve(new TransportProblem(scores, Marginals.SuperGlue, bucket: bucket),
            new SinkhornOptions { Epsilon = eps, MaxIterations = iterations });

        Assert.Equal(iterations, result.Iterations);
        Assert.Equal(scores.dtype, result.LogPlan.dtype);
        Tolerance.AssertGolden(c.Tensor("expected", "log_plan_scaled"), result.LogPlan, c.DType, $"{c.Name}: log_plan_scaled");
        Tolerance.AssertGolden(c.Tensor("expected", "plan_scaled"), result.Plan, c.DType, $"{c.Name}: plan_scaled");
        Tolerance.AssertGolden(c.Tensor("expected", "potential_f_rows"), result.F, c.DType, $"{c.Name}: potential_f_rows");
        Tolerance.AssertGolden(c.Tensor("expected", "potential_g_cols"), result.G, c.DType, $"{c.Name}: potential_g_cols");
        if (bucket is not null)
            Tolerance.AssertGolden(c.Tensor("expected", "log_plan_augmented_scaled"), result.AugmentedLogPlan!, c.DType, $"{c.Name}: log_plan_augmented_scaled");
        else
            Assert.Null(result.AugmentedLogPlan);
    }

    [Fact]
    public void AllVisibleSinkhornCasesAreFound()
    {
        // The visible folder has 5 Sinkhorn cases (FORMAT.md); more may come from NORTON_GOLDEN_DIRS.
        int count = Cases.Count;
        Assert.True(count >= 5, $"found {count} sinkhorn cases");
    }
}
