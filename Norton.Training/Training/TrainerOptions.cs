using Norton.Core.Validation;
using Norton.Losses;
using Norton.Models.VideoClip;

namespace Norton.Training;

/// <summary>
/// Everything <see cref="NortonTrainer"/> needs besides the data: the model, the loss, the optimiser and its schedule,
/// the stopping rules, checkpoints and logs. The defaults are the paper's (<c>how2_pretrain.yaml</c>); the YAML reader
/// (<see cref="Norton.Training.Config.PretrainConfigReader"/>) maps the config's keys onto these properties. Immutable; checked as a
/// whole by <see cref="Validate"/>, which the trainer calls.
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>Tower sizes (<see cref="VideoClipConfig.Full"/> with 16 video slots in the paper).</summary>
    public VideoClipConfig Model { get; init; } = VideoClipConfig.Full(16);

    /// <summary>State dict the towers start from (VideoCLIP's <c>checkpoint_best.pt</c>); null: random weights.</summary>
    public string? InitialCheckpoint { get; init; }

    /// <summary><c>layernorm_only</c>: train the LayerNorm parameters only (59,904 at full size). Paper: true.</summary>
    public bool LayerNormOnly { get; init; } = true;

    /// <summary>The loss's hyper-parameters (the config's <c>loss:</c> block).</summary>
    public NortonLossOptions Loss { get; init; } = NortonLossOptions.Paper;

    /// <summary>Peak learning rate <c>lr</c>: 1e-5.</summary>
    public double LearningRate { get; init; } = 1e-5;

    /// <summary><c>warmup_updates</c>: 1,000.</summary>
    public long WarmupUpdates { get; init; } = 1000;

    /// <summary><c>total_num_update</c>: 1,000,000.</summary>
    public long TotalNumUpdate { get; init; } = 1_000_000;

    /// <summary>Adam's β₁ and β₂ (<c>adam_betas</c>): (0.9, 0.98).</summary>
    public (double Beta1, double Beta2) AdamBetas { get; init; } = (0.9, 0.98);

    /// <summary>Adam's ε: 1e-8.</summary>
    public double AdamEpsilon { get; init; } = 1e-8;

    /// <summary><c>weight_decay</c>: 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary><c>clip_norm</c>: the largest gradient norm over the trained parameters, &gt; 0; 2.0.</summary>
    public double ClipNorm { get; init; } = 2.0;

    /// <summary><c>max_epoch</c>: 6 (epochs count from 1).</summary>
    public int MaxEpoch { get; init; } = 6;

    /// <summary>Stop after this many updates in total (the run saves <c>checkpoint_last</c> and can resume); null: no limit.</summary>
    public long? MaxUpdates { get; init; }

    /// <summary><c>retri_epoch</c>: epochs from this one on use retrieval-augmented batches. 1.</summary>
    public int RetrievalEpoch { get; init; } = 1;

    /// <summary><c>save_interval_updates</c>: a checkpoint every this many updates; 0 disables them. 1,024.</summary>
    public long SaveIntervalUpdates { get; init; } = 1024;

    /// <summary><c>keep_interval_updates</c>: interval checkpoints kept (the newest); negative keeps all. 2.</summary>
    public int KeepIntervalUpdates { get; init; } = 2;

    /// <summary><c>keep_last_epochs</c>: epoch checkpoints kept (the newest); negative keeps all. 50.</summary>
    public int KeepLastEpochs { get; init; } = 50;

    /// <summary><c>save_dir</c>: where checkpoints and logs go.</summary>
    public string OutputDirectory { get; init; } = "runs/retri/norton";

    /// <summary>Arithmetic of the towers.</summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Float32;

    /// <summary>Activation recomputation: keep each transformer layer's input only and recompute the layer in the backward.</summary>
    public bool RecomputeActivations { get; init; }

    /// <summary>Seed of the weights (when not loaded), dropout and the data's random choices. fairseq's default: 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary><c>log_interval</c>: updates between two log lines (and TensorBoard points).</summary>
    public int LogInterval { get; init; } = 100;

    /// <summary>Write TensorBoard event files under <c>OutputDirectory/tensorboard</c>.</summary>
    public bool TensorBoard { get; init; } = true;

    /// <summary>The learning-rate schedule these options describe.</summary>
    public PolynomialDecaySchedule Schedule() => new(LearningRate, WarmupUpdates, TotalNumUpdate);

    /// <summary>Checks every value; messages name the config key.</summary>
    /// <exception cref="ArgumentException">An impossible value (negative lr, warm-up not below the total, clip_norm &lt;= 0, ...).</exception>
    public void Validate()
    {
        if (Model is null) throw Guard.Argument(nameof(Model), "give the model sizes", "is null");
        if (Loss is null) throw Guard.Argument(nameof(Loss), "give the loss options", "is null");
        Loss.Validate();
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentException($"lr must be a positive finite number, but got {LearningRate}.", nameof(LearningRate));
        if (TotalNumUpdate <= 0)
            throw new ArgumentException($"total_num_update must be positive, but got {TotalNumUpdate}.", nameof(TotalNumUpdate));
        if (WarmupUpdates < 0 || WarmupUpdates >= TotalNumUpdate)
            throw new ArgumentException($"warmup_updates must lie in [0, total_num_update = {TotalNumUpdate}), but got {WarmupUpdates}.", nameof(WarmupUpdates));
        if (!(AdamBetas.Beta1 >= 0 && AdamBetas.Beta1 < 1) || !(AdamBetas.Beta2 >= 0 && AdamBetas.Beta2 < 1))
            throw new ArgumentException($"adam_betas must both lie in [0, 1), but got ({AdamBetas.Beta1}, {AdamBetas.Beta2}).", nameof(AdamBetas));
        if (!(AdamEpsilon > 0) || !double.IsFinite(AdamEpsilon))
            throw new ArgumentException($"adam_eps must be a positive finite number, but got {AdamEpsilon}.", nameof(AdamEpsilon));
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay))
            throw new ArgumentException($"weight_decay must be a finite number >= 0, but got {WeightDecay}.", nameof(WeightDecay));
        if (!(ClipNorm > 0) || !double.IsFinite(ClipNorm))
            throw new ArgumentException($"clip_norm must be a positive finite number, but got {ClipNorm}.", nameof(ClipNorm));
        if (MaxEpoch <= 0)
            throw new ArgumentException($"max_epoch must be positive, but got {MaxEpoch}.", nameof(MaxEpoch));
        if (MaxUpdates is < 0)
            throw new ArgumentException($"max_update must be >= 0, but got {MaxUpdates}.", nameof(MaxUpdates));
        if (RetrievalEpoch <= 0)
            throw new ArgumentException($"retri_epoch must be positive, but got {RetrievalEpoch}.", nameof(RetrievalEpoch));
        if (SaveIntervalUpdates < 0)
            throw new ArgumentException($"save_interval_updates must be >= 0, but got {SaveIntervalUpdates}.", nameof(SaveIntervalUpdates));
        if (LogInterval <= 0)
            throw new ArgumentException($"log_interval must be positive, but got {LogInterval}.", nameof(LogInterval));
        if (string.IsNullOrWhiteSpace(OutputDirectory))
            throw Guard.Argument("save_dir (the output folder)", "not be empty", "is empty", nameof(OutputDirectory));
        if (!Enum.IsDefined(Precision))
            throw Guard.Argument(nameof(Precision), "be a TrainingPrecision value", $"is {(int)Precision}");
    }
}
