using Norton.Evaluation.Metrics;

namespace Norton.Evaluation.Runners;

/// <summary>Video-paragraph metric names: <c>&lt;scorer&gt; R1/R5/R10</c>, Cap.Avg first.</summary>
internal static class ParagraphMetrics
{
    public static MetricValue[] Values(IReadOnlyList<ParagraphRetrievalResult> results) =>
        results.SelectMany(r => new[]
        {
            new MetricValue($"{r.Scorer} R1", r.R1), new MetricValue($"{r.Scorer} R5", r.R5), new MetricValue($"{r.Scorer} R10", r.R10),
        }).ToArray();
}
