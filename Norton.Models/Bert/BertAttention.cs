using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Models.Bert;

/// <summary>Self-attention plus its post-LN output block (HF <c>BertAttention</c>, keys <c>self.*</c>, <c>output.*</c>).</summary>
public sealed class BertAttention : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the PyTorch attribute names, so state dicts load by name
    private readonly BertSelfAttention self;
    private readonly BertSelfOutput output;
#pragma warning restore IDE1006

    /// <summary>Builds the attention block.</summary>
    public BertAttention(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(config, device, dtype);
        output = new BertSelfOutput(config, device, dtype);
        RegisterComponents();
    }

    /// <summary>Input (B, L, D) and additive key bias (B, 1, 1, L); output (B, L, D).</summary>
    public override Tensor forward(Tensor hiddenStates, Tensor extendedAttentionMask)
    {
        using var scope = NewDisposeScope();
        var context = self.forward(hiddenStates, extendedAttentionMask);
        return output.forward(context, hiddenStates).MoveToOuterDisposeScope();
    }
}
