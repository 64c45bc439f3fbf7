using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Training;

/// <summary>
/// Every optimiser and clipping call of the trainer, in one place: Adam (betas, eps, weight decay from
/// <see cref="TrainerOptions"/>), gradient-norm clipping over the trained parameters, loss-scale removal and, for
/// float16/bfloat16 towers, float32 master weights (fairseq's <c>FP16Optimizer</c>).
/// </summary>
/// <remarks>
/// Uses TorchSharp's <c>optim.Adam</c> and <c>nn.utils.clip_grad_norm_</c>, which create temporary Scalars inside:
/// call this from the training thread only (one thread touches TorchSharp during a run). Adam's update is PyTorch's:
/// <c>p -= lr/(1-β₁ᵗ) · m / (sqrt(v)/sqrt(1-β₂ᵗ) + ε)</c>; clipping multiplies every gradient by
/// <c>clip/(norm + 1e-6)</c> when that is below 1.
/// </remarks>
internal sealed class TrainerOptimizer : IDisposable
{
    private readonly IReadOnlyList<Parameter> _model;
    private readonly IReadOnlyList<Parameter> _master;
    private readonly bool _mixed;
    private readonly Adam _adam;

    /// <summary>Builds Adam over <paramref name="trained"/> (float32 copies of them when they are half precision).</summary>
    public TrainerOptimizer(IReadOnlyList<Parameter> trained, TrainerOptions options)
    {
        _model = trained;
        _mixed = trained.Any(p => p.dtype != ScalarType.Float32);
        _master = _mixed
            ? trained.Select(p => new Parameter(p.detach().to(ScalarType.Float32).clone(), requires_grad: true)).ToList()
            : trained;
        _adam = optim.Adam(_master, lr: 0, beta1: options.AdamBetas.Beta1, beta2: options.AdamBetas.Beta2,
            eps: options.AdamEpsilon, weight_decay: options.WeightDecay);
    }

    /// <summary>The parameters Adam updates (the model's, or their float32 masters).</summary>
    public IReadOnlyList<Parameter> Updated => _master;

    /// <summary>Clears the gradients of the model's trained parameters (and of the masters).</summary>
    public void ZeroGrad()
    {
        foreach (var p in _model) p.grad = null;
        if (_mixed) foreach (var p in _master) p.grad = null;
    }

    /// <summary>
    /// Turns the backward's gradients into the update's: copies them to the masters, divides by the loss scale, clips
    /// the total 2-norm to <paramref name="clipNorm"/>. Returns the unscaled norm before clipping (infinite or NaN on
    /// overflow, in which case the caller skips <see cref="Step"/>).
    /// </summary>
    public double PrepareGradients(double lossScale, double clipNorm)
    {
        using var scope = NewDisposeScope();
        if (_mixed)
        {
            for (int i = 0; i < _model.Count; i++)
            {
                var g = _model[i].grad;
                _master[i].grad = g is null ? zeros_like(_master[i]) : g.to(ScalarType.Float32);
            }
        }
        if (lossScale != 1)
        {
            using var inverse = (1.0 / lossScale).ToScalar();
            foreach (var p in _master) p.grad?.mul_(inverse);
        }
        return nn.utils.clip_grad_norm_(_master, clipNorm);
    }

    /// <summary>One Adam update at learning rate <paramref name="learningRate"/>; copies the masters back into the model.</summary>
    public void Step(double learningRate)
    {
        foreach (var group in _adam.ParamGroups) group.LearningRate = learningRate;
        _adam.step();
        if (!_mixed) return;
        using var noGrad = no_grad();
        for (int i = 0; i < _model.Count; i++) _model[i].copy_(_master[i]);
    }

    /// <summary>Writes Adam's state (moments and step counts) and, in mixed precision, the master weights.</summary>
    public void Save(BinaryWriter writer)
    {
        _adam.save_state_dict(writer);
        writer.Write(_mixed);
        if (_mixed) foreach (var p in _master) p.detach().Save(writer);
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The state belongs to another set of parameters or precision.</exception>
    public void Load(BinaryReader reader)
    {
        try
        {
            _adam.load_state_dict(reader);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"the optimiser state does not fit the trained parameters: {e.Message}", e);
        }
        bool mixed = reader.ReadBoolean();
        if (mixed != _mixed)
            throw new InvalidDataException($"the checkpoint was written by a {(mixed ? "half-precision" : "float32")} run; this run is {(_mixed ? "half-precision" : "float32")}.");
        if (_mixed)
            foreach (var p in _master) p.detach().Load(reader);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _adam.Dispose();
        if (_mixed) foreach (var p in _master) p.Dispose();
    }
}
