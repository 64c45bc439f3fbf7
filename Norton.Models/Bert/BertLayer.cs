using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Models.Bert;

/// <summary>One post-LN transformer layer (HF <c>BertLayer</c>): attention block, then feed-forward block.</summary>
public sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the PyTorch attribute names, so state dicts load by name
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertOutput output;
#pragma warning restore IDE1006

    /// <summary>Builds one layer.</summary>
    public BertLayer(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertLayer))
    {
        attention = new BertAttention(config, device, dtype);
        intermediate = new BertIntermediate(config, device, dtype);
        output = new BertOutput(config, device, dtype);
        RegisterComponents();
    }

    /// <summary>(B, L, D) with additive key bias (B, 1, 1, L) → (B, L, D).</summary>
    public override Tensor forward(Tensor hiddenStates, Tensor extendedAttentionMask)
    {
        using var scope = NewDisposeScope();
        var attended = attention.forward(hiddenStates, extendedAttentionMask);
        var h = intermediate.forward(attended);
        return output.forward(h, attended).MoveToOuterDisposeScope();
    }
}
