using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Models.Bert;

/// <summary>The stack of transformer layers (HF <c>BertEncoder</c>, keys <c>layer.N.*</c>).</summary>
public sealed class BertEncoder : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the PyTorch attribute names, so state dicts load by name
    private readonly ModuleList<BertLayer> layer;
#pragma warning restore IDE1006

    /// <summary>Builds <see cref="BertConfig.NumHiddenLayers"/> layers.</summary>
    public BertEncoder(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        layer = new ModuleList<BertLayer>();
        for (int i = 0; i < config.NumHiddenLayers; i++)
            layer.Add(new BertLayer(config, device, dtype));
        RegisterComponents();
    }

    /// <summary>Number of layers.</summary>
    public int Count => layer.Count;

    /// <summary>
    /// Activation recomputation: in training with gradients on, keep only each layer's input and run the layer again
    /// in the backward (same gradients, far less activation memory). Off by default.
    /// </summary>
    public bool RecomputeActivations { get; set; }

    /// <summary>Runs every layer; returns the last layer's output (B, L, D).</summary>
    public override Tensor forward(Tensor hiddenStates, Tensor extendedAttentionMask) =>
        Run(hiddenStates, extendedAttentionMask, null);

    /// <summary>
    /// Runs every layer. When <paramref name="allHiddenStates"/> is given, appends each layer's output to it
    /// (fresh tensors owned by the caller's dispose scope); returns the last layer's output (B, L, D). The models'
    /// <c>forward(..., diagnostics: true)</c> use it.
    /// </summary>
    internal Tensor Run(Tensor hiddenStates, Tensor extendedAttentionMask, List<Tensor>? allHiddenStates)
    {
        using var scope = NewDisposeScope();
        var h = hiddenStates;
        foreach (var block in layer)
        {
            h = RecomputeActivations && training && is_grad_enabled() && h.requires_grad
                ? LayerRecomputation.apply(h, extendedAttentionMask, block)
                : block.forward(h, extendedAttentionMask);
            if (allHiddenStates is not null)
                allHiddenStates.Add(h.alias().MoveToOuterDisposeScope());
        }
        // With no layers h would be the caller's tensor; never hand an input back.
        return (ReferenceEquals(h, hiddenStates) ? h.clone() : h).MoveToOuterDisposeScope();
    }
}
