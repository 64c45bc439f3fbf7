using Norton.Evaluation.Metrics;

namespace Norton.Evaluation.Runners;

/// <summary>RetrievalMetric's values in the original's order.</summary>
internal static class RetrievalMetrics
{
    public static EvaluationResult Result(ZeroShotTask task, int items, TextToVideoRetrievalResult r) =>
        new(task.Config.Name, task.Name, items, new[]
        {
            new MetricValue("R1", r.R1), new MetricValue("R5", r.R5), new MetricValue("R10", r.R10), new MetricValue("MR", r.MedianRank),
        });
}
