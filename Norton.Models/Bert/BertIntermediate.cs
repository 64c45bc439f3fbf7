using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Models.Bert;

/// <summary>The first half of the feed-forward block (HF <c>BertIntermediate</c>): D→FFN, then exact (erf) GELU.</summary>
public sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the PyTorch attribute names, so state dicts load by name
    private readonly Linear dense;
#pragma warning restore IDE1006

    /// <summary>Builds the D→FFN projection.</summary>
    public BertIntermediate(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertIntermediate))
    {
        ArgumentNullException.ThrowIfNull(config);
        dense = nn.Linear(config.HiddenSize, config.IntermediateSize, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>(B, L, D) → (B, L, FFN).</summary>
    public override Tensor forward(Tensor hiddenStates)
    {
        using var scope = NewDisposeScope();
        // BERT's "gelu" is the erf form, not the tanh approximation.
        return nn.functional.gelu(dense.forward(hiddenStates)).MoveToOuterDisposeScope();
    }
}
