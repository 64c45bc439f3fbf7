using Norton.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Models.Bert;

/// <summary>The second half of the feed-forward block (HF <c>BertOutput</c>): <c>LayerNorm(input + dropout(dense(h)))</c>.</summary>
public sealed class BertOutput : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the PyTorch attribute names, so state dicts load by name
    private readonly Linear dense;
    private readonly Float32LayerNorm LayerNorm;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    /// <summary>Builds the FFN→D projection and the post-residual LayerNorm.</summary>
    public BertOutput(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertOutput))
    {
        ArgumentNullException.ThrowIfNull(config);
        dense = nn.Linear(config.IntermediateSize, config.HiddenSize, device: device, dtype: dtype);
        LayerNorm = new Float32LayerNorm(config.HiddenSize, config.LayerNormEps, device, dtype);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <summary><paramref name="intermediate"/> (B, L, FFN), <paramref name="inputTensor"/> (B, L, D) → (B, L, D).</summary>
    public override Tensor forward(Tensor intermediate, Tensor inputTensor)
    {
        using var scope = NewDisposeScope();
        var h = dropout.forward(dense.forward(intermediate));
        return LayerNorm.forward(h.add(inputTensor, Scalars.One)).MoveToOuterDisposeScope();
    }
}
