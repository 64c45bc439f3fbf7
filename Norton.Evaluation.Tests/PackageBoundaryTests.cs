using System.Reflection;
using Norton.Evaluation.Runners;
using Xunit;

namespace Norton.Evaluation.Tests;

/// <summary>Norton.Losses holds the losses only, and the two packages do not use each other.</summary>
public sealed class PackageBoundaryTests
{
    [Fact]
    public void EvaluationDoesNotUseLossesAndLossesHoldsNoMetrics()
    {
        Assembly evaluation = typeof(ZeroShotTask).Assembly;
        Assert.DoesNotContain(evaluation.GetReferencedAssemblies(), a => a.Name == "Norton.Losses");

        Assembly losses = Assembly.Load("Norton.Losses");
        Assert.DoesNotContain(losses.GetReferencedAssemblies(), a => a.Name == "Norton.Evaluation");
        var stray = losses.GetTypes().Where(t => t.Namespace is { } ns && (ns.Contains("Evaluation", StringComparison.Ordinal) || ns.Contains("Alignment", StringComparison.Ordinal))).ToArray();
        Assert.Empty(stray);
        Assert.Contains(evaluation.GetTypes(), t => t.FullName == "Norton.Evaluation.Metrics.TextToVideoRetrieval");
        Assert.Contains(evaluation.GetTypes(), t => t.FullName == "Norton.Evaluation.Alignment.ZeroShotAligner");
        Assert.Contains(evaluation.GetTypes(), t => t.FullName == "Norton.Evaluation.Data.HtmAlignAnnotations");
    }
}
