namespace Norton.Core.Optimization;

/// <summary>
/// Settings of <see cref="Adam"/>, with <c>torch.optim.Adam</c>'s defaults. <see cref="Decoupled"/> selects AdamW's
/// weight decay (the parameter shrinks by <c>lr * weight_decay</c> before the update) instead of Adam's (the decay is
/// added to the gradient).
/// </summary>
public sealed record AdamOptions
{
    private readonly double _learningRate = 1e-3;
    private readonly double _beta1 = 0.9;
    private readonly double _beta2 = 0.999;
    private readonly double _epsilon = 1e-8;
    private readonly double _weightDecay;

    /// <summary>Learning rate (<c>lr</c>); positive and finite. The optimiser's own value can change between steps.</summary>
    public double LearningRate { get => _learningRate; init => _learningRate = Check(value, nameof(LearningRate), v => v >= 0 && double.IsFinite(v), "a finite number >= 0"); }

    /// <summary>First-moment decay (<c>betas[0]</c>), in [0, 1).</summary>
    public double Beta1 { get => _beta1; init => _beta1 = Check(value, nameof(Beta1), v => v >= 0 && v < 1, "in [0, 1)"); }

    /// <summary>Second-moment decay (<c>betas[1]</c>), in [0, 1).</summary>
    public double Beta2 { get => _beta2; init => _beta2 = Check(value, nameof(Beta2), v => v >= 0 && v < 1, "in [0, 1)"); }

    /// <summary>Added to the denominator (<c>eps</c>); finite and >= 0.</summary>
    public double Epsilon { get => _epsilon; init => _epsilon = Check(value, nameof(Epsilon), v => v >= 0 && double.IsFinite(v), "a finite number >= 0"); }

    /// <summary>Weight decay (<c>weight_decay</c>); finite and >= 0.</summary>
    public double WeightDecay { get => _weightDecay; init => _weightDecay = Check(value, nameof(WeightDecay), v => v >= 0 && double.IsFinite(v), "a finite number >= 0"); }

    /// <summary>AdamW's decoupled weight decay when true; Adam's L2 term when false (the default).</summary>
    public bool Decoupled { get; init; }

    /// <summary><c>torch.optim.AdamW</c>'s defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01, decoupled.</summary>
    public static AdamOptions AdamW { get; } = new() { WeightDecay = 0.01, Decoupled = true };

    private static double Check(double value, string name, Func<double, bool> ok, string expected) =>
        ok(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be {expected}, but is {value}.");
}
