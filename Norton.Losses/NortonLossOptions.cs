using Norton.Core.Validation;

namespace Norton.Losses;

/// <summary>
/// Hyper-parameters of <see cref="NortonLoss"/>. The defaults are the paper's
/// (<c>projects/retri/norton/how2_pretrain.yaml</c>). Immutable; each property is validated when it is set and the
/// combination by <see cref="Validate"/> (which <see cref="NortonLoss"/> calls on construction).
/// </summary>
/// <remarks>
/// Two settings the original cannot run follow the reference's labelled extensions: <see cref="PromptRatio"/> = null
/// (the original raises UnboundLocalError) uses a uniform-marginal OT per block without the prompt bucket, and
/// <see cref="SinkhornIterations"/> = null (clip OT off) with the video-paragraph branch on needs
/// <see cref="SequenceSinkhornIterations"/> (the original raises TypeError).
/// </remarks>
public sealed record NortonLossOptions
{
    /// <summary>ln(1/0.07), the original's initial <c>logit_scale</c>.</summary>
    public static readonly double DefaultLogitScale = Math.Log(1 / 0.07);

    private readonly int? _sinkhornIterations = 50;
    private readonly int? _sequenceSinkhornIterations;
    private readonly double _beta = 0.3, _alphaLse = 1, _fusionWeight = 0.5, _scale = 0.1;
    private readonly double? _promptRatio = 0.3, _sequenceContrastWeight = 0.1;
    private readonly int _length = 8;
    private readonly double _logitScale = DefaultLogitScale, _logitScaleMin = 0, _logitScaleMax = 4.6052;
    private readonly FineGrainedPadding _padding = FineGrainedPadding.Original;
    private readonly long _memoryBudget = FineGrainedSimilarity.DefaultMemoryBudgetBytes;

    /// <summary>The paper's settings (the defaults).</summary>
    public static NortonLossOptions Paper { get; } = new();

    /// <summary>
    /// Sinkhorn sweeps of both OTs (the original shares one count), &gt;= 0; null disables the clip-caption OT
    /// (plain symmetric InfoNCE). Paper: 50.
    /// </summary>
    public int? SinkhornIterations
    {
        get => _sinkhornIterations;
        init { if (value is int v) Guard.AtLeast(v, 0, nameof(SinkhornIterations)); _sinkhornIterations = value; }
    }

    /// <summary>EXTENSION: sweeps of the video-paragraph OT alone; null = <see cref="SinkhornIterations"/> (original).</summary>
    public int? SequenceSinkhornIterations
    {
        get => _sequenceSinkhornIterations;
        init { if (value is int v) Guard.AtLeast(v, 0, nameof(SequenceSinkhornIterations)); _sequenceSinkhornIterations = value; }
    }

    /// <summary>Faulty-negative weight: targets are <c>Beta*Q + (1-Beta)*I</c>. In [0, 1]; paper 0.3.</summary>
    public double Beta
    {
        get => _beta;
        init { Guard.InRange(value, 0, 1, nameof(Beta)); _beta = value; }
    }

    /// <summary>Temperature of the frame-word log-sum-exp, &gt; 0; paper 1.</summary>
    public double AlphaLse
    {
        get => _alphaLse;
        init { Guard.Positive(value, nameof(AlphaLse)); _alphaLse = value; }
    }

    /// <summary>Weight of the pooled cosine in the fused similarity, finite and &gt;= 0; paper 0.5.</summary>
    public double FusionWeight
    {
        get => _fusionWeight;
        init { Guard.InRange(value, 0, double.MaxValue, nameof(FusionWeight)); _fusionWeight = value; }
    }

    /// <summary>Clips per long video / sentences per paragraph (the config's <c>threshold</c>), &gt;= 1; paper 8.</summary>
    public int Length
    {
        get => _length;
        init { Guard.AtLeast(value, 1, nameof(Length)); _length = value; }
    }

    /// <summary>
    /// The prompt bucket value is the k-th smallest diagonal entry of the fused similarity, <c>k = int(PromptRatio*N)</c>.
    /// In (0, 1]; paper 0.3. null: EXTENSION, no bucket (uniform OT per block).
    /// </summary>
    public double? PromptRatio
    {
        get => _promptRatio;
        init
        {
            if (value is double v && (!double.IsFinite(v) || v <= 0 || v > 1))
                throw Guard.OutOfRange(nameof(PromptRatio), v, "lie in (0, 1] or be null");
            _promptRatio = value;
        }
    }

    /// <summary>Epsilon of the video-paragraph OT, &gt; 0; paper 0.1.</summary>
    public double Scale
    {
        get => _scale;
        init { Guard.Positive(value, nameof(Scale)); _scale = value; }
    }

    /// <summary>Weight of the video-paragraph loss, finite and &gt;= 0; null skips that branch. Paper 0.1.</summary>
    public double? SequenceContrastWeight
    {
        get => _sequenceContrastWeight;
        init { if (value is double v) Guard.InRange(v, 0, double.MaxValue, nameof(SequenceContrastWeight)); _sequenceContrastWeight = value; }
    }

    /// <summary>Initial log inverse temperature of the paragraph logits; finite. Paper ln(1/0.07).</summary>
    public double LogitScale
    {
        get => _logitScale;
        init { Guard.InRange(value, double.MinValue, double.MaxValue, nameof(LogitScale)); _logitScale = value; }
    }

    /// <summary>Lower clamp of the logit scale before <c>exp</c>; paper 0.</summary>
    public double LogitScaleMin
    {
        get => _logitScaleMin;
        init { Guard.InRange(value, double.MinValue, double.MaxValue, nameof(LogitScaleMin)); _logitScaleMin = value; }
    }

    /// <summary>Upper clamp of the logit scale before <c>exp</c>; paper 4.6052 (ln 100).</summary>
    public double LogitScaleMax
    {
        get => _logitScaleMax;
        init { Guard.InRange(value, double.MinValue, double.MaxValue, nameof(LogitScaleMax)); _logitScaleMax = value; }
    }

    /// <summary>
    /// Whether <c>logit_scale</c> requires a gradient. Default false: the original never handed it to its optimiser
    /// (docs/quirks.md Q9), so the paper trained with a fixed temperature 0.07. True lets an optimiser learn it, CLIP-style
    /// (clamped to [<see cref="LogitScaleMin"/>, <see cref="LogitScaleMax"/>] on use).
    /// </summary>
    public bool TrainLogitScale { get; init; }

    /// <summary>
    /// Reproduce two float32 constants of the original in float64 runs (docs/quirks.md Q9/Q10): the identity target weight is
    /// <c>float32(1 - Beta)</c> and the temperature is computed from a float32 <c>logit_scale</c>. Changes a float64
    /// loss by about 1e-8 relative; irrelevant for float32. Default false (clean float64 maths, as the golden files).
    /// </summary>
    public bool MimicFloat32Constants { get; init; }

    /// <summary>
    /// Check the input values on every call: finite features, 0/1 masks, a valid slot per row, no all-zero feature
    /// whose direction is needed. Default true. The checks of one call are batched into one device-to-host transfer
    /// (together with the masks the fine-grained layout needs); false skips them, so a training step on a GPU makes
    /// no transfer at all (masks on a device are then applied there instead of being read; bad values give NaN or
    /// garbage instead of an exception). Shapes, dtypes and devices are always checked.
    /// </summary>
    public bool CheckValues { get; init; } = true;

    /// <summary>Arithmetic of padded word/frame slots; <see cref="FineGrainedPadding.Original"/> for parity.</summary>
    public FineGrainedPadding Padding
    {
        get => _padding;
        init
        {
            _padding = Guard.Defined(value, nameof(Padding));
        }
    }

    /// <summary>Memory budget of the fine-grained similarity's product blocks, bytes (&gt;= 1 KiB).</summary>
    public long FineGrainedMemoryBudgetBytes
    {
        get => _memoryBudget;
        init { Guard.AtLeast(value, 1024, nameof(FineGrainedMemoryBudgetBytes)); _memoryBudget = value; }
    }

    /// <summary>Sweeps the video-paragraph OT runs (extension first, then the shared count), or null.</summary>
    public int? EffectiveSequenceIterations => SequenceSinkhornIterations ?? SinkhornIterations;

    /// <summary>Checks the combination of settings.</summary>
    /// <exception cref="ArgumentException">The clamp range is empty, or the video-paragraph branch is on without a
    /// Sinkhorn iteration count.</exception>
    public void Validate()
    {
        if (LogitScaleMin > LogitScaleMax)
            throw Guard.Argument("LogitScaleMin", $"not exceed LogitScaleMax ({LogitScaleMax})", $"is {LogitScaleMin}", "options");
        if (SequenceContrastWeight is not null && EffectiveSequenceIterations is null)
            throw Guard.Argument("SinkhornIterations", "be set while the video-paragraph branch is on (the original fails here: range(None)); " +
                "or set SequenceSinkhornIterations (extension) or SequenceContrastWeight = null", "is null (clip OT off)", "options");
    }
}
