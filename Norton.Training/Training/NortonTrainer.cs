using Norton.Core.Features;
using System.Diagnostics;
using Norton.Losses;
using Norton.Models;
using Norton.Models.Checkpoints;
using Norton.Training.Distributed;
using Norton.Training.Sampling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Training;

/// <summary>
/// Norton's post-pretraining as the paper runs it (<c>how2_pretrain.yaml</c>): VideoCLIP towers (optionally from a
/// checkpoint), LayerNorm-only training, <see cref="NortonLoss"/>, Adam with fairseq's polynomial-decay schedule,
/// gradient clipping, retrieval batches from <c>retri_epoch</c> on, fairseq's checkpoints and exact resumption.
/// See docs/training.md.
/// </summary>
/// <remarks>
/// One thread drives TorchSharp for the whole run (TorchSharp's optimiser creates temporary Scalars, which another
/// thread's allocations could finalise mid-call). Resumption is bit-identical on CPU: a checkpoint holds the weights,
/// Adam's moments, the counters, the epoch's batch plan and the position in it, the data's random source and torch's
/// generator (dropout).
/// <para>
/// Data-parallel across processes (docs/scaling.md): every rank starts from rank 0's weights, plans the batches of
/// its own share of the videos, the lists are gathered and shuffled with a seed shared by all ranks, and at step
/// <c>s</c> rank <c>r</c> trains on batch <c>s · size + r</c>; gradients are averaged after backward and before
/// clipping, so the optimiser steps identically everywhere. Rank 0 alone writes checkpoints and notifies the
/// observers; every rank resumes from the same checkpoint. In a world of one nothing of this runs.
/// </para>
/// </remarks>
public sealed class NortonTrainer : IDisposable
{
    private readonly ITrainingData _data;
    private readonly IReadOnlyList<ITrainingObserver> _observers;
    private readonly Device _device;
    private readonly ScalarType _dtype;
    private readonly TrainerOptimizer _optimizer;
    private readonly PolynomialDecaySchedule _schedule;
    private readonly DynamicLossScaler? _scaler;
    private readonly SplitMix64 _random;
    private readonly ICommunicator _world;
    private readonly DataParallel? _parallel;
    private IReadOnlyList<IReadOnlyList<string>>? _plan;
    private int _batchIndex;
    private double? _best;
    private string? _lastCheckpoint;

    /// <summary>Builds the model, the loss and the optimiser.</summary>
    /// <param name="options">The recipe (validated here).</param>
    /// <param name="data">The corpus side (see <see cref="ITrainingData"/>).</param>
    /// <param name="device">Where to train; null: CPU in a world of one, else this rank's device
    /// (<see cref="CommunicatorExtensions.Device"/>).</param>
    /// <param name="observers">Logs and displays; in a data-parallel run only rank 0 notifies them, except
    /// <see cref="IEveryRankObserver"/>s.</param>
    /// <param name="world">The processes training together; null: <see cref="DistributedWorld.Join"/> (a world of
    /// one unless launched by mpirun / srun). Every rank must construct its trainer with the same options.</param>
    /// <exception cref="ArgumentException">Bad options, the corpus's feature width differs from the model's input, or
    /// a half-precision data-parallel run.</exception>
    /// <exception cref="CheckpointMismatchException">The initial checkpoint is for another model size.</exception>
    public NortonTrainer(TrainerOptions options, ITrainingData data, Device? device = null, IEnumerable<ITrainingObserver>? observers = null,
        ICommunicator? world = null)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _data = data ?? throw new ArgumentNullException(nameof(data));
        options.Validate();
        if (data.FeatureDim != options.Model.InputDim)
            throw new ArgumentException(
                $"the corpus has {data.FeatureDim}-wide video features but the model's video tower takes {options.Model.InputDim}-wide ones.", nameof(data));
        _world = world ?? DistributedWorld.Join();
        if (_world.Size > 1 && options.Precision != TrainingPrecision.Float32)
            throw new ArgumentException(
                $"data-parallel training ({_world.Size} processes) averages float32 gradients; {options.Precision} towers are not supported across processes yet.", nameof(options));
        var all = observers?.ToList() ?? [];
        if (options.TensorBoard && _world.Rank == 0) all.Add(new TensorBoardLog(Path.Combine(options.OutputDirectory, "tensorboard")));
        _observers = all;
        _device = device ?? (_world.Size > 1 ? _world.Device() : CPU);
        _dtype = options.Precision switch
        {
            TrainingPrecision.Float16 => ScalarType.Float16,
            TrainingPrecision.BFloat16 => ScalarType.BFloat16,
            _ => ScalarType.Float32,
        };

        torch.random.manual_seed(unchecked((long)options.Seed));
        Model = new VideoTextModel(options.Model);
        if (options.InitialCheckpoint is not null) CheckpointLoader.Load(Model, options.InitialCheckpoint);
        TrainedParameterCount = options.LayerNormOnly
            ? Model.UseLayerNormOnly()
            : Model.parameters().Sum(p => p.numel());
        if (options.RecomputeActivations) Model.UseActivationRecomputation(true);
        Model.to(_dtype).to(_device);
        Model.train();
        Loss = new NortonLoss(options.Loss);
        Loss.to(_device);
        if (_world.Size > 1)
        {
            DataParallel.BroadcastParameters(_world, Model);
            _parallel = new DataParallel(_world, Model); // the trained parameters, in the optimiser's order
        }

        var trained = Model.parameters().Where(p => p.requires_grad).ToList();
        _optimizer = new TrainerOptimizer(trained, options);
        _schedule = options.Schedule();
        _scaler = _dtype == ScalarType.Float32 ? null : new DynamicLossScaler();
        _random = new SplitMix64(options.Seed);
        Epoch = 1;
    }

    /// <summary>The recipe.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The model being trained.</summary>
    public VideoTextModel Model { get; }

    /// <summary>The loss.</summary>
    public NortonLoss Loss { get; }

    /// <summary>Scalar parameters the optimiser updates (59,904 at full size with <c>layernorm_only</c>).</summary>
    public long TrainedParameterCount { get; }

    /// <summary>Updates done (fairseq's <c>num_updates</c>).</summary>
    public long Update { get; private set; }

    /// <summary>The current epoch, from 1.</summary>
    public int Epoch { get; private set; }

    /// <summary>The processes training together (a world of one without a launcher).</summary>
    public ICommunicator World => _world;

    /// <summary>Resumes from a checkpoint written by this trainer (<c>checkpoint_last.pt</c> for <c>--restore</c>).
    /// In a data-parallel run every rank calls it with the same file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a trainer checkpoint, truncated, another model size or precision,
    /// or written in the middle of an epoch by another number of processes.</exception>
    public void Restore(string path)
    {
        var header = TrainerCheckpoint.Load(path, Model, _optimizer, Options.Precision.ToString());
        if (header.Plan is not null && header.WorldSize != _world.Size)
            throw new InvalidDataException(
                $"'{path}' was written in the middle of epoch {header.Epoch} by {header.WorldSize} process(es); resume it with {header.WorldSize}, or resume from an epoch's checkpoint with {_world.Size}.");
        Update = header.Update;
        Epoch = header.Epoch;
        _batchIndex = header.BatchIndex;
        _plan = header.Plan?.Select(b => (IReadOnlyList<string>)b).ToList();
        _random.State = header.DataRandomState;
        _best = header.BestValidationLoss;
        _scaler?.Restore(header.LossScale, header.CleanUpdates);
    }

    /// <summary>
    /// Trains until <c>max_epoch</c> epochs are done, <see cref="TrainerOptions.MaxUpdates"/> is reached or
    /// <paramref name="cancellation"/> fires; then writes <c>checkpoint_last.pt</c> (when anything changed).
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The output folder is not writable.</exception>
    /// <exception cref="InvalidOperationException">The loss or the gradients became NaN or infinite in float32.</exception>
    public TrainingSummary Train(CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(Options.OutputDirectory);
        long startUpdate = Update;
        var clock = Stopwatch.StartNew();
        long clockUpdate = Update;
        bool dirty = false;
        while (Epoch <= Options.MaxEpoch && !LimitReached() && !Stopping(cancellation))
        {
            _plan ??= PlanEpoch();
            int steps = (int)DataShare.StepsPerEpoch(_plan.Count, _world.Size);
            while (_batchIndex < steps && !LimitReached() && !Stopping(cancellation))
            {
                bool log = (Update + 1) % Options.LogInterval == 0 || Update == startUpdate;
                var record = Step(GlobalBatchIndex(), steps, log);
                record = record with { UpdatesPerSecond = (Update - clockUpdate) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9) };
                _batchIndex++;
                dirty = true;
                if (log) { clock.Restart(); clockUpdate = Update; }
                Notify(o => o.OnUpdate(record));
                if (!record.Skipped && Options.SaveIntervalUpdates > 0 && Update % Options.SaveIntervalUpdates == 0)
                {
                    Save(CheckpointFiles.Interval(Epoch, Update), alsoLast: true);
                    dirty = false;
                }
            }
            if (_batchIndex < steps) break;
            EndEpoch();
            dirty = false;
        }
        if (dirty) Save(CheckpointFiles.Last, alsoLast: false);
        if (_world.Size > 1) _world.Barrier(); // rank 0's last checkpoint is on disk before any rank returns
        return new TrainingSummary(Update, Epoch, Epoch > Options.MaxEpoch, _best, _lastCheckpoint);
    }

    /// <summary>The mean loss over the validation split (eval mode, no gradients), or null without one. In a
    /// data-parallel run each rank computes every <c>size</c>-th batch and every rank gets the mean over all.</summary>
    public double? Validate()
    {
        var plan = _data.ValidationPlan();
        if (plan.Count == 0) return null;
        Model.eval();
        try
        {
            double sum = 0;
            long count = 0;
            using var noGrad = no_grad();
            for (int i = _world.Rank; i < plan.Count; i += _world.Size, count++)
            {
                using var scope = NewDisposeScope();
                // A fixed source per validation batch: the same clips every epoch, and the run's sources untouched.
                var batch = _data.LoadBatch(plan[i], new SplitMix64(unchecked(Options.Seed + 0x5DEECE66DUL * (ulong)(i + 1))));
                using var inputs = BatchTensors.From(batch, Options.Model.InputDim, _device, _dtype);
                using var output = Model.forward(inputs.Caps, inputs.CapsMask, inputs.VideoFeatures, inputs.VideoMask);
                var (video, text) = output.ToLossInputs();
                using var loss = Loss.forward(video, text);
                sum += loss.Loss.item<float>();
            }
            return _world.Average(sum, count);
        }
        finally
        {
            Model.train();
        }
    }

    private bool LimitReached() => Options.MaxUpdates is long max && Update >= max;

    private UpdateRecord Step(int planIndex, int steps, bool log)
    {
        using var scope = NewDisposeScope();
        var batch = _data.LoadBatch(_plan![planIndex], new SplitMix64(BatchSeed(Options.Seed, Epoch, planIndex)));
        using var inputs = BatchTensors.From(batch, Options.Model.InputDim, _device, _dtype);
        _optimizer.ZeroGrad();
        using var output = Model.forward(inputs.Caps, inputs.CapsMask, inputs.VideoFeatures, inputs.VideoMask);
        var (video, text) = output.ToLossInputs();
        using var loss = Loss.forward(video, text, diagnostics: log);
        double scale = _scaler?.Scale ?? 1.0;
        if (_scaler is null)
        {
            loss.Loss.backward();
        }
        else
        {
            using var s = scale.ToScalar();
            loss.Loss.mul(s).backward();
        }
        _parallel?.AverageGradients(); // after backward, before unscaling and clipping
        double lr = _schedule.LearningRate(Update);
        double norm = _optimizer.PrepareGradients(scale, Options.ClipNorm);
        double total = loss.Loss.item<float>();
        bool apply = _scaler?.Update(norm) ?? true;
        if (_scaler is null && (!double.IsFinite(norm) || !double.IsFinite(total)))
            throw new InvalidOperationException(
                $"update {Update + 1} (epoch {Epoch}, batch {_batchIndex}): the loss is {total} and the gradient norm {norm}; float32 training cannot continue. Lower the learning rate or check the corpus.");
        if (apply)
        {
            _optimizer.Step(lr);
            Update++;
        }
        double? prompt = log && loss.VideoParagraph?.PromptValue is { } p ? p.to(ScalarType.Float64).item<double>() : null;
        if (log && _world.Size > 1) total = _world.Average(total, 1); // the logged loss is the mean over the ranks' batches
        return new UpdateRecord(Update, Epoch, _batchIndex, steps, total, loss.ClipCaption.Loss.item<float>(),
            loss.WeightedVideoParagraphLoss?.item<float>() ?? 0, lr, norm, prompt, 0, scale, !apply, log);
    }

    private void EndEpoch()
    {
        double? validation = Validate();
        bool better = validation is double v && (_best is null || v < _best);
        if (better) _best = validation;
        Notify(o => o.OnEpochEnd(Epoch, Update, validation));
        int finished = Epoch;
        Epoch++;
        _plan = null;
        _batchIndex = 0;
        // Saved after the counters move on, so that a restore starts the next epoch.
        Save(CheckpointFiles.Epoch(finished), alsoLast: true);
        if (better && _world.Rank == 0) Copy(CheckpointFiles.Epoch(finished), CheckpointFiles.Best);
    }

    private void Save(string name, bool alsoLast)
    {
        string path = Path.Combine(Options.OutputDirectory, name);
        _lastCheckpoint = path;
        if (_world.Rank != 0) return; // rank 0 writes; the others hold the same state
        var header = new CheckpointHeader
        {
            ModelSignature = TrainerCheckpoint.Signature(Model),
            Precision = Options.Precision.ToString(),
            Update = Update,
            Epoch = Epoch,
            BatchIndex = _batchIndex,
            Plan = _plan?.Select(b => b.ToList()).ToList(),
            DataRandomState = _random.State,
            BestValidationLoss = _best,
            LossScale = _scaler?.Scale ?? 1.0,
            CleanUpdates = _scaler?.CleanUpdates ?? 0,
            WorldSize = _world.Size,
        };
        TrainerCheckpoint.Save(path, header, Model, _optimizer);
        Notify(o => o.OnCheckpoint(path));
        if (alsoLast) Copy(name, CheckpointFiles.Last);
        CheckpointFiles.Prune(Options.OutputDirectory, Options.KeepIntervalUpdates, Options.KeepLastEpochs);
    }

    // Copy through a temporary file and rename, as every save: the previous copy survives a failure.
    private void Copy(string from, string to)
    {
        string source = Path.Combine(Options.OutputDirectory, from);
        string target = Path.Combine(Options.OutputDirectory, to);
        File.Copy(source, target + ".tmp", overwrite: true);
        File.Move(target + ".tmp", target, overwrite: true);
    }

    /// <summary>The seed of the clips and captions sampled for batch <paramref name="index"/> of the epoch's plan
    /// (the shared plan in a data-parallel run, so that every batch samples the same way on whichever rank).</summary>
    internal static ulong BatchSeed(ulong runSeed, int epoch, int index)
    {
        var mix = new SplitMix64(unchecked(runSeed ^ ((ulong)epoch << 40) ^ (ulong)index));
        return mix.Next();
    }

    // A world of one plans the whole epoch with the run's random source (as before data-parallel training); ranks
    // plan their shares with sources of their own, gather the lists and shuffle them with the epoch's shared seed.
    private IReadOnlyList<IReadOnlyList<string>> PlanEpoch()
    {
        bool retrieval = Epoch >= Options.RetrievalEpoch;
        if (_world.Size == 1) return _data.PlanEpoch(Epoch, retrieval, Model, _random);
        var mine = _data.PlanShare(Epoch, retrieval, Model, new SplitMix64(DataShare.RankSeed(Options.Seed, Epoch, _world.Rank)), _world.Rank, _world.Size);
        var all = BatchListGather.Gather(_world, mine);
        return DataShare.Shuffled(all, DataShare.EpochSeed(Options.Seed, Epoch)).Select(b => (IReadOnlyList<string>)b).ToList();
    }

    private int GlobalBatchIndex() => (int)DataShare.BatchIndex(_batchIndex, _world.Rank, _world.Size);

    // Ranks must stop at the same update: one rank cancelled (Ctrl-C reaches them at different moments) stops all.
    private bool Stopping(CancellationToken cancellation) => _world.AnyRank(cancellation.IsCancellationRequested);

    private void Notify(Action<ITrainingObserver> call)
    {
        foreach (var o in _observers)
            if (_world.Rank == 0 || o is IEveryRankObserver) call(o);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _parallel?.Dispose();
        _optimizer.Dispose();
        Loss.Dispose();
        Model.Dispose();
    }
}
