using Norton.Evaluation.Encoders;
using Norton.Evaluation.Runners;
using Spectre.Console;

namespace Norton.Cli.Evaluate;

/// <summary>Shows a run's progress: a live bar on a terminal, a line per quarter otherwise (logs, redirects).</summary>
internal static class ProgressReporting
{
    public static EvaluationResult Run(IAnsiConsole console, ZeroShotTask task, IZeroShotEncoder encoder)
    {
        if (console.Profile.Capabilities.Interactive)
        {
            EvaluationResult? result = null;
            console.Progress().Start(context =>
            {
                var bar = context.AddTask(Markup.Escape(task.Name));
                result = task.Run(encoder, new Callback(p =>
                {
                    bar.MaxValue = Math.Max(1, p.Total);
                    bar.Value = p.Done;
                }));
            });
            return result!;
        }
        int lastQuarter = -1;
        return task.Run(encoder, new Callback(p =>
        {
            int quarter = p.Total == 0 ? 4 : 4 * p.Done / p.Total;
            if (quarter == lastQuarter) return;
            lastQuarter = quarter;
            console.MarkupLine($"  {Markup.Escape(p.Stage)}: {p.Done}/{p.Total}");
        }));
    }

    /// <summary>Reports synchronously on the running thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Callback(Action<EvaluationProgress> report) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => report(value);
    }
}
