using Norton.Core.Validation;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core.Optimization;

/// <summary>
/// Adam / AdamW with <c>torch.optim.Adam</c>'s and <c>AdamW</c>'s update (and TorchSharp's order of operations, so the
/// two agree to the last bit), written without temporary TorchSharp Scalars so that a training step is safe while
/// other threads allocate (docs/thread-safety.md); TorchSharp's own optimisers are not.
/// </summary>
/// <remarks>
/// <para>Per parameter: <c>step += 1</c>; Adam adds <c>weight_decay * p</c> to the gradient, AdamW multiplies <c>p</c>
/// by <c>1 - lr * weight_decay</c>; <c>m = beta1 m + (1 - beta1) g</c>; <c>v = beta2 v + (1 - beta2) g²</c>;
/// <c>p -= lr / (1 - beta1^step) * m / (sqrt(v) / sqrt(1 - beta2^step) + eps)</c>. Parameters without a gradient are
/// skipped (their step count does not advance). No amsgrad, no maximize.</para>
/// <para>The state (moments and step counts) is a set of tensors: <see cref="StateDict"/> and
/// <see cref="LoadStateDict"/> save and restore it for checkpoints.</para>
/// </remarks>
public sealed class Adam : IDisposable
{
    private readonly Tensor[] _parameters;
    private readonly AdamState[] _state;
    private readonly Scalar _beta1;
    private readonly Scalar _oneMinusBeta1;
    private readonly Scalar _beta2;
    private readonly Scalar _oneMinusBeta2;
    private readonly Scalar _epsilon;
    private readonly Scalar _weightDecay;
    private double _learningRate;
    private bool _disposed;

    /// <summary>Creates the optimiser over <paramref name="parameters"/> (leaf tensors; frozen ones are skipped at each step, having no gradient).</summary>
    /// <param name="parameters">The parameters, e.g. <c>module.parameters()</c>; at least one, no duplicates.</param>
    /// <param name="options">Settings; <c>torch.optim.Adam</c>'s defaults when null.</param>
    /// <exception cref="ArgumentException">No parameters, a null entry, or a duplicate.</exception>
    public Adam(IEnumerable<Tensor> parameters, AdamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Options = options ?? new AdamOptions();
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0)
            throw new ArgumentException("parameters must contain at least one tensor, but is empty.", nameof(parameters));
        var seen = new HashSet<IntPtr>();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i] ?? throw Guard.Argument(nameof(parameters), "hold no null tensor", $"parameters[{i}] is null");
            if (!seen.Add(p.Handle))
                throw Guard.Argument(nameof(parameters), "hold each tensor once", $"parameters[{i}] appears more than once");
        }
        _state = _parameters.Select(p => new AdamState(p)).ToArray();
        _learningRate = Options.LearningRate;
        _beta1 = Options.Beta1.ToScalar();
        _oneMinusBeta1 = (1 - Options.Beta1).ToScalar();
        _beta2 = Options.Beta2.ToScalar();
        _oneMinusBeta2 = (1 - Options.Beta2).ToScalar();
        _epsilon = Options.Epsilon.ToScalar();
        _weightDecay = Options.WeightDecay.ToScalar();
    }

    /// <summary>The settings it was created with (its learning rate is <see cref="LearningRate"/>).</summary>
    public AdamOptions Options { get; }

    /// <summary>The learning rate of the next step (a schedule sets it between steps); finite and >= 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or not finite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = value >= 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"LearningRate must be a finite number >= 0, but is {value}.");
    }

    /// <summary>The parameters, in the order of the state's keys.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>Steps taken by parameter <paramref name="index"/> (those with a gradient at each step).</summary>
    public long StepCount(int index) => _state[index].Step;

    /// <summary>Updates every parameter that has a gradient.</summary>
    /// <exception cref="ObjectDisposedException">After <see cref="Dispose"/>.</exception>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double lr = _learningRate;
        bool decoupled = Options.Decoupled, decay = Options.WeightDecay != 0;
        // Declared with using, so each lives until the end of the step, past every native call that reads it.
        using var shrink = (1 - lr * Options.WeightDecay).ToScalar();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            var grad = p.grad;
            if (grad is null) continue;
            var s = _state[i];
            s.Step++;
            if (decoupled) p.mul_(shrink);
            else if (decay) grad = grad.add(p, _weightDecay);
            double biasCorrection1 = 1 - Math.Pow(Options.Beta1, s.Step);
            double biasCorrection2 = 1 - Math.Pow(Options.Beta2, s.Step);
            s.ExpAvg.mul_(_beta1).add_(grad, _oneMinusBeta1);
            s.ExpAvgSq.mul_(_beta2).addcmul_(grad, grad, _oneMinusBeta2);
            using var correction2 = Math.Sqrt(biasCorrection2).ToScalar();
            using var stepSize = (-lr / biasCorrection1).ToScalar();
            var denom = s.ExpAvgSq.sqrt().div_(correction2).add_(_epsilon, Scalars.One);
            p.addcdiv_(s.ExpAvg, denom, stepSize);
        }
        // The cached Scalars are fields: keep this instance reachable until the last native call has returned.
        GC.KeepAlive(this);
    }

    /// <summary>Drops every parameter's gradient (<c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            var g = p.grad;
            if (g is null) continue;
            p.grad = null;
            g.Dispose();
        }
    }

    /// <summary>
    /// The state as tensors (copies): <c>"{i}.exp_avg"</c>, <c>"{i}.exp_avg_sq"</c> and <c>"{i}.step"</c> (int64,
    /// 0-d) for parameter <c>i</c>, plus <c>"lr"</c> (float64, 0-d). The caller owns them.
    /// </summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>();
        for (int i = 0; i < _state.Length; i++)
        {
            d[$"{i}.exp_avg"] = _state[i].ExpAvg.detach().clone();
            d[$"{i}.exp_avg_sq"] = _state[i].ExpAvgSq.detach().clone();
            d[$"{i}.step"] = tensor(_state[i].Step);
        }
        d["lr"] = tensor(_learningRate);
        return d;
    }

    /// <summary>Restores a state saved by <see cref="StateDict"/> for the same parameters (copied in; the caller keeps the tensors).</summary>
    /// <exception cref="ArgumentException">A key is missing or a tensor's shape differs from its parameter's.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Tensor Get(string key) => state.TryGetValue(key, out var t)
            ? t
            : throw Guard.Argument(nameof(state), $"hold one entry per parameter ({_state.Length} parameters)", $"has no entry '{key}'");
        var steps = new long[_state.Length];
        for (int i = 0; i < _state.Length; i++)
        {
            foreach (string part in new[] { "exp_avg", "exp_avg_sq" })
            {
                var t = Get($"{i}.{part}");
                if (!t.shape.SequenceEqual(_parameters[i].shape))
                    throw new ArgumentException(
                        $"'{i}.{part}' must have shape [{string.Join(", ", _parameters[i].shape)}] (parameter {i}), but has [{string.Join(", ", t.shape)}].", nameof(state));
            }
            var step = Get($"{i}.step");
            if (step.numel() != 1)
                throw new ArgumentException($"'{i}.step' must hold one number, but has {step.numel()} elements.", nameof(state));
            steps[i] = step.to(ScalarType.Int64).item<long>();
            if (steps[i] < 0)
                throw new ArgumentException($"'{i}.step' must be >= 0, but is {steps[i]}.", nameof(state));
        }
        using var noGrad = no_grad();
        for (int i = 0; i < _state.Length; i++)
        {
            _state[i].ExpAvg.copy_(state[$"{i}.exp_avg"]);
            _state[i].ExpAvgSq.copy_(state[$"{i}.exp_avg_sq"]);
            _state[i].Step = steps[i];
        }
        if (state.TryGetValue("lr", out var lr)) LearningRate = lr.to(ScalarType.Float64).item<double>();
    }

    /// <summary>Frees the moments and the cached Scalars.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var s in _state) s.Dispose();
        foreach (var s in new[] { _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _epsilon, _weightDecay }) s.Dispose();
    }

    private sealed class AdamState(Tensor parameter) : IDisposable
    {
        public long Step { get; set; }

        public Tensor ExpAvg { get; } = zeros_like(parameter).DetachFromDisposeScope();

        public Tensor ExpAvgSq { get; } = zeros_like(parameter).DetachFromDisposeScope();

        public void Dispose()
        {
            ExpAvg.Dispose();
            ExpAvgSq.Dispose();
        }
    }
}
