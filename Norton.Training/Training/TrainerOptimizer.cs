using Norton.Core.Optimization;
using Adam = Norton.Core.Optimization.Adam;
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
/// Uses Norton.Core's race-free <see cref="Adam"/> and <see cref="ClipGradNorm"/> (TorchSharp's optimisers create
/// temporary Scalars, docs/thread-safety.md), so a batch feeder or logger thread cannot crash the step. Adam's update is PyTorch's:
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
        _adam = new Adam(_master, new AdamOptions
        {
            LearningRate = 0,
            Beta1 = options.AdamBetas.Beta1,
            Beta2 = options.AdamBetas.Beta2,
            Epsilon = options.AdamEpsilon,
            WeightDecay = options.WeightDecay,
        });
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
        using var norm = ClipGradNorm.Apply(_master, clipNorm);
        return norm.to(ScalarType.Float64).item<double>();
    }

    /// <summary>One Adam update at learning rate <paramref name="learningRate"/>; copies the masters back into the model.</summary>
    public void Step(double learningRate)
    {
        _adam.LearningRate = learningRate;
        _adam.Step();
        if (!_mixed) return;
        using var noGrad = no_grad();
        for (int i = 0; i < _model.Count; i++) _model[i].copy_(_master[i]);
    }

    /// <summary>Writes Adam's state (moments and step counts) and, in mixed precision, the master weights.</summary>
    public void Save(BinaryWriter writer)
    {
        var state = _adam.StateDict();
        try
        {
            writer.Write(state.Count);
            foreach (var (key, value) in state.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                writer.Write(key);
                value.Save(writer);
            }
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
        writer.Write(_mixed);
        if (_mixed) foreach (var p in _master) p.detach().Save(writer);
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The state belongs to another set of parameters or precision.</exception>
    public void Load(BinaryReader reader)
    {
        var state = new Dictionary<string, Tensor>();
        try
        {
            int count = reader.ReadInt32();
            if (count < 0 || count > 4 * _master.Count + 1)
                throw new ArgumentException($"the optimiser state holds {count} entries; {3 * _master.Count + 1} expected for {_master.Count} parameters.");
            for (int i = 0; i < count; i++)
            {
                string key = reader.ReadString();
                state[key] = TensorExtensionMethods.Load(reader);
            }
            _adam.LoadStateDict(state);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"the optimiser state does not fit the trained parameters: {e.Message}", e);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
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
