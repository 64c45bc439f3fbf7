using System.CommandLine;
using Norton.Cli.Reporting;
using Norton.Models.Checkpoints;
using Norton.Training;
using Norton.Training.Config;
using Norton.Training.Distributed;
using Norton.Training.Retrieval;
using Norton.Training.Sampling;
using TorchSharp;

namespace Norton.Cli.Commands;

/// <summary>
/// <c>norton pretrain [CONFIG] [--corpus DIR] [--checkpoint FILE] [--output DIR] [--restore] [--max-updates N]
/// [--device cpu|cuda] [--precision float32|float16|bfloat16] [--recompute] [--plain]</c>: Norton's post-pretraining
/// from the original's YAML, or the embedded default (reduced towers, synthetic corpus) without a config.
/// Exit codes: 0 done, 1 a failure while running (files, checkpoints, numerics), 2 bad arguments or config.
/// Under <c>mpirun</c> / <c>srun</c> every process is one rank of a data-parallel run (docs/scaling.md): rank 0
/// prints, logs and writes checkpoints; a failing rank (an exception or a non-zero exit code) ends the whole job.
/// </summary>
internal static class PretrainCommand
{
    public static Command Create()
    {
        var config = new Argument<FileInfo?>("config") { Description = "The original's pretraining YAML (how2_pretrain.yaml). Without it: the embedded default.", Arity = ArgumentArity.ZeroOrOne };
        var corpus = new Option<DirectoryInfo?>("--corpus") { Description = "Corpus folder (default: the config's dataset paths)." };
        var checkpoint = new Option<FileInfo?>("--checkpoint") { Description = "State dict to start from (VideoCLIP's checkpoint_best.pt); overrides restore_file." };
        var output = new Option<DirectoryInfo?>("--output") { Description = "Folder for checkpoints and logs; overrides save_dir." };
        var restore = new Option<bool>("--restore") { Description = "Resume exactly from OUTPUT/checkpoint_last.pt." };
        var maxUpdates = new Option<long?>("--max-updates") { Description = "Stop after this many updates in total (resumable)." };
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong("cpu", "cuda");
        var precision = new Option<TrainingPrecision?>("--precision") { Description = "Float32 (default), Float16 or BFloat16 towers (half precision with dynamic loss scaling)." };
        var recompute = new Option<bool>("--recompute") { Description = "Recompute each transformer layer in the backward (less memory, ~1/3 more time)." };
        var plain = new Option<bool>("--plain") { Description = "One log line per log step instead of the progress line (automatic when the output is redirected)." };

        var command = new Command("pretrain", "Post-pretrain VideoCLIP towers with the Norton loss (the paper's recipe).");
        command.Arguments.Add(config);
        foreach (var option in new Option[] { corpus, checkpoint, output, restore, maxUpdates, device, precision, recompute, plain })
            command.Options.Add(option);
        command.SetAction(parseResult =>
        {
            var request = new PretrainRequest
            {
            ConfigPath = parseResult.GetValue(config)?.FullName,
            Corpus = parseResult.GetValue(corpus)?.FullName,
            Checkpoint = parseResult.GetValue(checkpoint)?.FullName,
            Output = parseResult.GetValue(output)?.FullName,
            Restore = parseResult.GetValue(restore),
            MaxUpdates = parseResult.GetValue(maxUpdates),
            Device = parseResult.GetValue(device) ?? "cpu",
            Precision = parseResult.GetValue(precision),
            Recompute = parseResult.GetValue(recompute),
            PlainLog = parseResult.GetValue(plain) || Console.IsOutputRedirected,
            };
            // Under MPI a failure on any rank aborts the job (System.CommandLine would otherwise catch it and leave
            // the other ranks waiting forever in their next all-reduce); a world of one runs as before.
            return DistributedWorld.Run(world =>
                Run(request, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, world));
        });
        return command;
    }

    /// <summary>Runs one training (one rank's part of it under MPI); returns the exit code.</summary>
    internal static int Run(PretrainRequest request, TextWriter output, TextWriter error, ICommunicator? world = null)
    {
        world ??= DistributedWorld.Join();
        if (world.Rank != 0) output = TextWriter.Null; // rank 0 alone reports
        TrainerOptions options;
        PretrainConfig? config = null;
        try
        {
            if (request.ConfigPath is not null)
            {
                config = PretrainConfigReader.Read(request.ConfigPath);
                if (config.UnusedKeys.Count > 0)
                    error.WriteLine($"warning: {config.UnusedKeys.Count} config keys are not used by this port: {string.Join("; ", config.UnusedKeys)}");
            }
            options = config?.Trainer ?? EmbeddedDefault.Options(Path.GetFullPath("norton-pretrain"));
            options = options with
            {
                InitialCheckpoint = request.Checkpoint ?? options.InitialCheckpoint,
                OutputDirectory = request.Output ?? options.OutputDirectory,
                MaxUpdates = request.MaxUpdates ?? options.MaxUpdates,
                Precision = request.Precision ?? options.Precision,
                RecomputeActivations = request.Recompute || options.RecomputeActivations,
            };
            options.Validate();
            if (options.InitialCheckpoint is not null && !File.Exists(options.InitialCheckpoint))
                throw new ArgumentException($"the initial checkpoint '{options.InitialCheckpoint}' does not exist (--checkpoint or restore_file).");
            if (request.Device == "cuda" && !torch.cuda.is_available())
                throw new ArgumentException("--device cuda: no CUDA device is available to this process (the norton tool ships the CPU backend).");
        }
        catch (Exception e) when (e is ConfigException or ArgumentException or FileNotFoundException or NotSupportedException)
        {
            error.WriteLine($"error: {e.Message}");
            return 2;
        }

        ITrainingData data;
        try
        {
            // Rank 0 checks the output folder and writes what every rank reads (the embedded default's corpus) first.
            if (world.Rank == 0)
            {
                EnsureWritable(options.OutputDirectory);
                data = CreateData(config, request.Corpus, options);
                world.Barrier();
            }
            else
            {
                world.Barrier();
                data = CreateData(config, request.Corpus, options);
            }
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }

        using var owned = data as IDisposable;
        try
        {
            var curve = new LossCurve();
            ITrainingObserver log = request.PlainLog ? new PlainLineLog(output) : new ConsoleProgress(output);
            var device = request.Device == "cuda" ? world.Device() : torch.CPU; // cuda:(local rank mod GPUs)
            using var trainer = new NortonTrainer(options, data, device, [log, curve], world);
            output.WriteLine($"norton pretrain: {trainer.TrainedParameterCount:N0} trained parameters, output {options.OutputDirectory}");
            string last = Path.Combine(options.OutputDirectory, CheckpointFiles.Last);
            if (request.Restore && RootSees(world, last))
            {
                trainer.Restore(last);
                output.WriteLine($"resumed from {last} at update {trainer.Update}, epoch {trainer.Epoch}");
            }
            else if (request.Restore)
            {
                output.WriteLine($"--restore: no {last} yet; starting from the beginning");
            }
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
            Console.CancelKeyPress += onCancel;
            TrainingSummary summary;
            try
            {
                summary = trainer.Train(cancel.Token);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            if (curve.Updates.Count > 0)
            {
                string png = Path.Combine(options.OutputDirectory, "loss.png");
                curve.Save(png);
                output.WriteLine($"loss {curve.Updates[0].Loss:F4} (update {curve.Updates[0].Update}) -> {curve.Updates[^1].Loss:F4} (update {curve.Updates[^1].Update}); curves in {png}");
            }
            output.WriteLine($"{(summary.Finished ? "finished" : "stopped")} after {summary.Updates} updates; best validation loss {summary.BestValidationLoss?.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) ?? "n/a"}; last checkpoint {summary.LastCheckpoint ?? "none"}");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or CheckpointMismatchException
                                       or CheckpointFormatException or InvalidOperationException or ArgumentException)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// The one place that turns a config and <c>--corpus</c> into training data: <c>--corpus DIR</c>, else the config's
    /// <c>dataset.vfeat_dir</c>, read with the config's sampler and retrieval settings (the embedded default's without a
    /// config); with neither, the embedded default writes its synthetic corpus into <c>OUTPUT/corpus</c> and trains on it.
    /// </summary>
    /// <exception cref="ArgumentException">No corpus folder is named, or its feature width does not fit the model.</exception>
    internal static ITrainingData CreateData(PretrainConfig? config, string? corpus, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (config is null && corpus is null)
            corpus = EmbeddedDefault.WriteCorpus(Path.Combine(options.OutputDirectory, "corpus"));
        string folder = corpus ?? config!.Dataset.VideoFeatureDirectory
            ?? throw new ArgumentException("the config sets no dataset.vfeat_dir (the corpus folder); name one with --corpus DIR.");
        var (clips, retrieval) = config is null ? (EmbeddedDefault.Clips, EmbeddedDefault.Retrieval) : Sampling(config.Dataset);
        return CorpusTrainingData.Open(folder, clips, retrieval, options.Model.InputDim, options.Model.Text.VocabSize);
    }

    /// <summary>The config's <c>dataset</c> keys as sampler and retrieval settings.</summary>
    internal static (ClipSamplerOptions Clips, RetrievalOptions Retrieval) Sampling(DatasetSettings d)
    {
        var clips = new ClipSamplerOptions
        {
            ClipsPerVideo = d.ClipPerVideo,
            SampledMinLength = d.SampledMinLen,
            SampledMaxLength = d.SampledMaxLen,
            SampledVideoMinLength = d.SampledVideoMinLen,
            SampledVideoMaxLength = d.SampledVideoMaxLen,
            MaxVideoLength = d.MaxVideoLen,
            MaxLength = d.MaxLen,
        };
        var retrieval = new RetrievalOptions
        {
            Centroids = d.Centroids,
            ExamplesPerCentroidToTrain = d.ExamplesPerCentroidToTrain,
            Candidates = d.NumCandidates,
            VideosPerBatch = d.NumVideoPerBatch,
            Clips = clips,
        };
        return (clips, retrieval);
    }

    // Every rank resumes (or not) as rank 0 decides; a rank that cannot read rank 0's checkpoint then fails clearly
    // (the output folder must be on a file system every rank reads: docs/scaling.md).
    private static bool RootSees(ICommunicator world, string path)
    {
        Span<int> exists = [File.Exists(path) ? 1 : 0];
        world.Broadcast(exists, root: 0);
        return exists[0] != 0;
    }

    private static void EnsureWritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"the output folder '{folder}' is not writable: {e.Message}", e);
        }
    }
}
