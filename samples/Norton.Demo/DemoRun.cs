using System.Diagnostics;
using Norton.Demo.Data;
using Norton.Demo.Evaluation;
using Norton.Demo.Reporting;
using Norton.Demo.Training;
using Norton.Evaluation.Alignment;
using Norton.Losses;
using Spectre.Console;
using TorchSharp;

namespace Norton.Demo;

/// <summary>What one demo run produced.</summary>
/// <param name="Norton">Norton's figures.</param>
/// <param name="InfoNce">InfoNCE's figures.</param>
/// <param name="ResultsPath">Where results.json was written.</param>
/// <param name="Plots">The PNG files written (none with --no-plots).</param>
internal sealed record DemoOutcome(MethodResults Norton, MethodResults InfoNce, string ResultsPath, IReadOnlyList<string> Plots);

/// <summary>
/// The demo: generate the noisy videos, train the same encoders with Norton and with InfoNCE (same data, same initial
/// weights, same batches), measure both on held-out videos, print the table, write results.json and the plots.
/// </summary>
internal static class DemoRun
{
    /// <summary>Runs the demo; <paramref name="interactive"/> shows the progress bar and the table.</summary>
    public static DemoOutcome Execute(DemoOptions options, bool interactive)
    {
        var clock = Stopwatch.StartNew();
        Norton.Core.Native.NortonNative.EnsureInitialized();   // before the first torch call
        // One intra-op thread: every op then sums in a fixed order, so a seed gives the same numbers run after run (same
        // machine, same libtorch); the whole default run takes well under a minute of CPU time this way.
        torch.set_num_threads(1);
        Directory.CreateDirectory(options.Output);

        using var generator = new NoisyVideoGenerator(options);
        using var train = generator.Generate(options.Videos, stream: 0);
        using var test = generator.Generate(options.TestVideos, stream: 1);
        var trainer = new Trainer(options);
        var runs = new[]
        {
            new Run("Norton", new NortonLoss(NortonLossOptions.Paper with { Length = options.Clips }), new DualEncoder(options.Seed)),
            new Run("InfoNCE", new NortonLoss(new NortonLossOptions { Length = options.Clips, SinkhornIterations = null, SequenceContrastWeight = null }),
                new DualEncoder(options.Seed)),
        };
        int example = ExampleVideo(test);

        void TrainAll(Action<int, Stage> progress)
        {
            // One run after the other on this thread. Side by side on two threads would halve the wall time, but
            // TorchSharp 0.107 lets the finalizer free the temporary Scalar of an op (a + b passes alpha = 1) while the
            // native op still reads it; another thread's allocations trigger the collections that make this happen, and
            // two training threads crashed two runs in eight that way.
            for (int r = 0; r < runs.Length; r++)
            {
                var watch = Stopwatch.StartNew();
                int run = r;
                runs[r].History = trainer.Train(runs[r].Model, runs[r].Loss, train, test, () => progress(run, Stage.Step));
                progress(r, Stage.Evaluating);
                (runs[r].Results, runs[r].Example) = DemoEvaluator.Evaluate(runs[r].Model, train, test, example);
                runs[r].Seconds = watch.Elapsed.TotalSeconds;
                progress(r, Stage.Done);
            }
        }

        int steps = trainer.Steps(options.Videos);
        if (interactive)
        {
            AnsiConsole.MarkupLine(
                $"[bold]Norton vs InfoNCE[/]: {options.Videos} training videos x {options.Clips} clips, " +
                $"{options.Shifted:P0} shifted, {options.Irrelevant:P0} irrelevant captions, {options.Background:P0} background frames/filler words, " +
                $"{options.Epochs} epochs, seed {options.Seed}");
            // No auto-refresh: the bar is redrawn from the training thread, so no other thread allocates while torch runs.
            AnsiConsole.Progress()
                .AutoRefresh(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    // One unit per optimiser step and one for the evaluation.
                    var tasks = runs.Select(r => ctx.AddTask(r.Name, maxValue: steps + 1)).ToArray();
                    var redraw = Stopwatch.StartNew();
                    TrainAll((r, stage) =>
                    {
                        var task = tasks[r];
                        switch (stage)
                        {
                            case Stage.Step:
                                task.Increment(1);
                                if (redraw.ElapsedMilliseconds < 200) return;
                                break;
                            case Stage.Evaluating:
                                task.Description = $"{runs[r].Name} (evaluating)";
                                break;
                            case Stage.Done:
                                task.Description = runs[r].Name;
                                task.Increment(1);
                                break;
                        }
                        ctx.Refresh();
                        redraw.Restart();
                    });
                });
        }
        else
        {
            TrainAll((_, _) => { });
        }

        string results = ResultsFile.Write(options.Output, options, runs[0].Results!, runs[0].Seconds, runs[1].Results!, runs[1].Seconds);
        var plots = new List<string>();
        if (!options.NoPlots)
        {
            plots.Add(Plots.TrainingCurves(options.Output, runs[0].History!, runs[1].History!));
            int[] truth = Enumerable.Range(0, test.Clips).Select(c => test.Truth[example, c]).ToArray();
            foreach (var run in runs)
                plots.Add(Plots.AlignmentHeatmap(options.Output, $"alignment_{run.Name.ToLowerInvariant()}.png",
                    $"{run.Name}: test video {example} (shift {test.Shifts[example]}), p = {run.Example!.BucketValue:0.000}",
                    run.Example, truth));
        }
        foreach (var run in runs)
            run.Dispose();

        if (interactive)
        {
            AnsiConsole.Write(ResultsTable.Build(runs[0].Results!, runs[1].Results!));
            AnsiConsole.MarkupLine(
                $"bucket value (cosine, {DemoEvaluator.PromptRatio:P0} quantile of training pairs): Norton {runs[0].Results!.BucketValue:0.000}, InfoNCE {runs[1].Results!.BucketValue:0.000}");
            AnsiConsole.MarkupLine($"training + evaluation: Norton {runs[0].Seconds:0.0} s, InfoNCE {runs[1].Seconds:0.0} s; total {clock.Elapsed.TotalSeconds:0.0} s");
            AnsiConsole.MarkupLine($"wrote [blue]{Markup.Escape(results)}[/]" + string.Concat(plots.Select(p => $", [blue]{Markup.Escape(p)}[/]")));
        }
        return new DemoOutcome(runs[0].Results!, runs[1].Results!, results, plots);
    }

    /// <summary>The first held-out video that shows every kind of noise (shifted, with an irrelevant caption), else 0.</summary>
    private static int ExampleVideo(NoisyVideoSet test)
    {
        for (int v = 0; v < test.Count; v++)
        {
            bool irrelevant = Enumerable.Range(0, test.Clips).Any(c => test.Irrelevant[v, c]);
            if (test.Shifts[v] != 0 && irrelevant) return v;
        }
        return 0;
    }

    private enum Stage { Step, Evaluating, Done }

    private sealed class Run(string name, NortonLoss loss, DualEncoder model) : IDisposable
    {
        public string Name { get; } = name;
        public NortonLoss Loss { get; } = loss;
        public DualEncoder Model { get; } = model;
        public IReadOnlyList<EpochRecord>? History { get; set; }
        public MethodResults? Results { get; set; }
        public ZeroShotAlignment? Example { get; set; }
        public double Seconds { get; set; }

        public void Dispose()
        {
            Example?.Dispose();
            Model.Dispose();
            Loss.Dispose();
        }
    }
}
