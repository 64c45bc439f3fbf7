using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Models.Bert;

/// <summary>
/// HF <c>BertPooler</c>: <c>tanh(dense(h[:, 0]))</c>. Present in the checkpoints and computed by the original, but
/// Norton never uses its output (its pooling is a masked mean).
/// </summary>
public sealed class BertPooler : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the PyTorch attribute names, so state dicts load by name
    private readonly Linear dense;
#pragma warning restore IDE1006

    /// <summary>Builds the D→D projection.</summary>
    public BertPooler(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertPooler))
    {
        ArgumentNullException.ThrowIfNull(config);
        dense = nn.Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>(B, L, D) → (B, D).</summary>
    public override Tensor forward(Tensor hiddenStates)
    {
        using var scope = NewDisposeScope();
        return tanh(dense.forward(hiddenStates.select(1, 0))).MoveToOuterDisposeScope();
    }
}
