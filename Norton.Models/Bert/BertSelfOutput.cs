using Norton.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Models.Bert;

/// <summary>The attention block's output (HF <c>BertSelfOutput</c>): <c>LayerNorm(input + dropout(dense(context)))</c>.</summary>
public sealed class BertSelfOutput : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the PyTorch attribute names, so state dicts load by name
    private readonly Linear dense;
    private readonly Float32LayerNorm LayerNorm;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    /// <summary>Builds the D→D projection and the post-residual LayerNorm.</summary>
    public BertSelfOutput(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertSelfOutput))
    {
        ArgumentNullException.ThrowIfNull(config);
        dense = nn.Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        LayerNorm = new Float32LayerNorm(config.HiddenSize, config.LayerNormEps, device, dtype);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <summary>Post-LN residual. Both inputs (B, L, D); output (B, L, D).</summary>
    public override Tensor forward(Tensor context, Tensor inputTensor)
    {
        using var scope = NewDisposeScope();
        var h = dropout.forward(dense.forward(context));
        return LayerNorm.forward(h.add(inputTensor, Scalars.One)).MoveToOuterDisposeScope();
    }
}
