using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Norton.Models.Bert;

/// <summary>
/// Activation recomputation for one transformer layer: the forward keeps only the layer's input (no intermediate
/// activations), the backward runs the layer again with gradients on and back-propagates through it. Dropout draws
/// the same masks in both runs: the CPU generator's state is saved before the forward and replayed in the backward.
/// Trades about one more forward per layer for the layer's activations (see docs/performance.md).
/// </summary>
/// <remarks>Call: <c>apply(hidden, bias, layer)</c>. Needs <c>hidden.requires_grad</c> (otherwise the graph would
/// not reach the layer's parameters); <see cref="BertEncoder"/> runs such layers plainly.</remarks>
internal sealed class LayerRecomputation : SingleTensorFunction<LayerRecomputation>
{
    private const string LayerKey = "layer";
    private const string RngKey = "rng";

    // As in the loss's fine-grained function: TorchSharp 0.107 disposes neither the gradient wrappers handed to
    // backward nor those backward returns; the returned ones are freed at the next call, when the graph is done with them.
    private static readonly object PendingGate = new();
    private static List<Tensor> _pending = [];

    /// <inheritdoc />
    public override string Name => "NortonLayerRecomputation";

    /// <inheritdoc />
    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        ReleasePending();
        var hidden = (Tensor)vars[0];
        var bias = (Tensor)vars[1];
        var layer = (BertLayer)vars[2];
        ctx.save_for_backward([hidden, bias]);
        ctx.save_data(LayerKey, layer);
        // Kept as bytes: a tensor here would belong to the caller's dispose scope, gone before the backward.
        if (hidden.device.type == DeviceType.CPU)
        {
            using var state = torch.Generator.Default.get_state();
            ctx.save_data(RngKey, state.data<byte>().ToArray());
        }
        using var noGrad = no_grad();
        return layer.forward(hidden, bias);
    }

    /// <inheritdoc />
    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        ReleasePending();
        var saved = ctx.get_saved_variables();
        var layer = (BertLayer)ctx.get_data(LayerKey);
        Tensor dHidden;
        using (var scope = NewDisposeScope())
        {
            using var rng = ctx.get_data(RngKey) is byte[] bytes ? tensor(bytes) : null;
            using var current = rng is null ? null : torch.Generator.Default.get_state();
            if (rng is not null) torch.Generator.Default.set_state(rng);
            try
            {
                using var grad = enable_grad();
                var input = saved[0].detach().requires_grad_(true);
                var output = layer.forward(input, saved[1].detach());
                output.backward([grad_output]);
                dHidden = input.grad!.detach().DetachFromDisposeScope();
            }
            finally
            {
                if (current is not null) torch.Generator.Default.set_state(current);
            }
        }
        grad_output.Dispose();
        lock (PendingGate) _pending.Add(dHidden);
        // The bias and the layer get no gradient here (the layer's parameters got theirs from the inner backward).
        return [dHidden, null!, null!];
    }

    private static void ReleasePending()
    {
        List<Tensor> done;
        lock (PendingGate)
        {
            if (_pending.Count == 0) return;
            (done, _pending) = (_pending, []);
        }
        foreach (var t in done) t.Dispose();
    }
}
