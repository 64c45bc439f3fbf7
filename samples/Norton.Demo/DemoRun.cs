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

        void TrainOne(int r, Action<int, Stage> progress)
        {
            var watch = Stopwatch.StartNew();
            runs[r].History = trainer.Train(runs[r].Model, runs[r].Loss, train, test, () => progress(r, Stage.Step));
            progress(r, Stage.Evaluating);
            (runs[r].Results, runs[r].Example) = DemoEvaluator.Evaluate(runs[r].Model, train, test, example);
            runs[r].Seconds = watch.Elapsed.TotalSeconds;
            progress(r, Stage.Done);
        }

        void TrainAll(Action<int, Stage> progress)
        {
            if (options.Serial)
            {
                for (int r = 0; r < runs.Length; r++)
                    TrainOne(r, progress);
                return;
            }
            // Side by side, a thread each. Safe since our code holds no temporary Scalar (docs/thread-safety.md): before,
            // TorchSharp's finalizer could free one while its native op ran and two training threads crashed runs.
            // Each run reads only its own model, loss, optimiser and batch-order generator, and the shared data sets
            // read-only, so the numbers equal the serial ones.
            var threads = Enumerable.Range(0, runs.Length).Select(r => new Thread(() =>
            {
                try { TrainOne(r, progress); }
                catch (Exception e) { runs[r].Failure = e; }
            }) { Name = "demo-" + runs[r].Name, IsBackground = true }).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            if (runs.FirstOrDefault(r => r.Failure is not null) is { } failed)
                throw new InvalidOperationException($"The {failed.Name} run failed: {failed.Failure!.Message}", failed.Failure);
        }

        int steps = trainer.Steps(options.Videos);
        if (interactive)
        {
            AnsiConsole.MarkupLine(
                $"[bold]Norton vs InfoNCE[/]: {options.Videos} training videos x {options.Clips} clips, " +
                $"{options.Shifted:P0} shifted, {options.Irrelevant:P0} irrelevant captions, {options.Background:P0} background frames/filler words, " +
                $"{options.Epochs} epochs, seed {options.Seed}");
            AnsiConsole.Progress()
                .AutoRefresh(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    // One unit per optimiser step and one for the evaluation.
                    var tasks = runs.Select(r => ctx.AddTask(r.Name, maxValue: steps + 1)).ToArray();
                    TrainAll((r, stage) =>
                    {
                        var task = tasks[r];
                        switch (stage)
                        {
                            case Stage.Step:
                                task.Increment(1);
                                break;
                            case Stage.Evaluating:
                                task.Description = $"{runs[r].Name} (evaluating)";
                                break;
                            case Stage.Done:
                                task.Description = runs[r].Name;
                                task.Increment(1);
                                break;
                        }
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
        public Exception? Failure { get; set; }

        public void Dispose()
        {
            Example?.Dispose();
            Model.Dispose();
            Loss.Dispose();
        }
    }
}
