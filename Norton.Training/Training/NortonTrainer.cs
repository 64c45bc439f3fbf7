using System.Diagnostics;
using Norton.Losses;
using Norton.Models;
using Norton.Models.Checkpoints;
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
    private IReadOnlyList<IReadOnlyList<string>>? _plan;
    private int _batchIndex;
    private double? _best;
    private string? _lastCheckpoint;

    /// <summary>Builds the model, the loss and the optimiser.</summary>
    /// <param name="options">The recipe (validated here).</param>
    /// <param name="data">The corpus side (see <see cref="ITrainingData"/>).</param>
    /// <param name="device">Where to train; null: CPU.</param>
    /// <param name="observers">Logs and displays.</param>
    /// <exception cref="ArgumentException">Bad options, or the corpus's feature width differs from the model's input.</exception>
    /// <exception cref="CheckpointMismatchException">The initial checkpoint is for another model size.</exception>
    public NortonTrainer(TrainerOptions options, ITrainingData data, Device? device = null, IEnumerable<ITrainingObserver>? observers = null)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _data = data ?? throw new ArgumentNullException(nameof(data));
        options.Validate();
        if (data.FeatureDim != options.Model.InputDim)
            throw new ArgumentException(
                $"the corpus has {data.FeatureDim}-wide video features but the model's video tower takes {options.Model.InputDim}-wide ones.", nameof(data));
        var all = observers?.ToList() ?? [];
        if (options.TensorBoard) all.Add(new TensorBoardLog(Path.Combine(options.OutputDirectory, "tensorboard")));
        _observers = all;
        _device = device ?? CPU;
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

    /// <summary>Resumes from a checkpoint written by this trainer (<c>checkpoint_last.pt</c> for <c>--restore</c>).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a trainer checkpoint, truncated, another model size or precision.</exception>
    public void Restore(string path)
    {
        var header = TrainerCheckpoint.Load(path, Model, _optimizer, Options.Precision.ToString());
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
        while (Epoch <= Options.MaxEpoch && !LimitReached() && !cancellation.IsCancellationRequested)
        {
            _plan ??= _data.PlanEpoch(Epoch, Epoch >= Options.RetrievalEpoch, Model, _random);
            while (_batchIndex < _plan.Count && !LimitReached() && !cancellation.IsCancellationRequested)
            {
                bool log = (Update + 1) % Options.LogInterval == 0 || Update == startUpdate;
                var record = Step(_plan[_batchIndex], log);
                record = record with { UpdatesPerSecond = (Update - clockUpdate) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9) };
                _batchIndex++;
                dirty = true;
                if (log) { clock.Restart(); clockUpdate = Update; }
                foreach (var o in _observers) o.OnUpdate(record);
                if (!record.Skipped && Options.SaveIntervalUpdates > 0 && Update % Options.SaveIntervalUpdates == 0)
                {
                    Save(CheckpointFiles.Interval(Epoch, Update), alsoLast: true);
                    dirty = false;
                }
            }
            if (_batchIndex < _plan.Count) break;
            EndEpoch();
            dirty = false;
        }
        if (dirty) Save(CheckpointFiles.Last, alsoLast: false);
        return new TrainingSummary(Update, Epoch, Epoch > Options.MaxEpoch, _best, _lastCheckpoint);
    }

    /// <summary>The mean loss over the validation split (eval mode, no gradients), or null without one.</summary>
    public double? Validate()
    {
        var plan = _data.ValidationPlan();
        if (plan.Count == 0) return null;
        Model.eval();
        try
        {
            double sum = 0;
            using var noGrad = no_grad();
            for (int i = 0; i < plan.Count; i++)
            {
                using var scope = NewDisposeScope();
                // A fixed source per validation batch: the same clips every epoch, and the run's sources untouched.
                var batch = _data.LoadBatch(plan[i], new SplitMix64(unchecked(Options.Seed + 0x5DEECE66DUL * (ulong)(i + 1))));
                using var inputs = BatchTensors.From(batch, Options.Model.InputDim, _device, _dtype);
                using var output = Model.forward(inputs.Caps, inputs.CapsMask, inputs.VideoFeatures, inputs.VideoMask);
                var (video, text) = output.ToLossInputs();
                using var loss = Loss.Forward(video, text);
                sum += loss.Loss.item<float>();
            }
            return sum / plan.Count;
        }
        finally
        {
            Model.train();
        }
    }

    private bool LimitReached() => Options.MaxUpdates is long max && Update >= max;

    private UpdateRecord Step(IReadOnlyList<string> videoIds, bool log)
    {
        using var scope = NewDisposeScope();
        var batch = _data.LoadBatch(videoIds, new SplitMix64(BatchSeed(Epoch, _batchIndex)));
        using var inputs = BatchTensors.From(batch, Options.Model.InputDim, _device, _dtype);
        _optimizer.ZeroGrad();
        using var output = Model.forward(inputs.Caps, inputs.CapsMask, inputs.VideoFeatures, inputs.VideoMask);
        var (video, text) = output.ToLossInputs();
        using var loss = Loss.Forward(video, text, diagnostics: log);
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
        return new UpdateRecord(Update, Epoch, _batchIndex, _plan!.Count, total, loss.ClipCaption.Loss.item<float>(),
            loss.WeightedVideoParagraphLoss?.item<float>() ?? 0, lr, norm, prompt, 0, scale, !apply, log);
    }

    private void EndEpoch()
    {
        double? validation = Validate();
        bool better = validation is double v && (_best is null || v < _best);
        if (better) _best = validation;
        foreach (var o in _observers) o.OnEpochEnd(Epoch, Update, validation);
        int finished = Epoch;
        Epoch++;
        _plan = null;
        _batchIndex = 0;
        // Saved after the counters move on, so that a restore starts the next epoch.
        Save(CheckpointFiles.Epoch(finished), alsoLast: true);
        if (better) Copy(CheckpointFiles.Epoch(finished), CheckpointFiles.Best);
    }

    private void Save(string name, bool alsoLast)
    {
        string path = Path.Combine(Options.OutputDirectory, name);
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
        };
        TrainerCheckpoint.Save(path, header, Model, _optimizer);
        _lastCheckpoint = path;
        foreach (var o in _observers) o.OnCheckpoint(path);
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

    private ulong BatchSeed(int epoch, int index)
    {
        var mix = new SplitMix64(unchecked(Options.Seed ^ ((ulong)epoch << 40) ^ (ulong)index));
        return mix.Next();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _optimizer.Dispose();
        Loss.Dispose();
        Model.Dispose();
    }
}
