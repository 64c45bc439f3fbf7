using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Norton.Losses;

/// <summary>
/// Autograd wrapper of <see cref="FineGrainedKernel"/>: saves only the packed unit features (Nw x D, Nf x D), never a
/// product block, and recomputes the blocks in its hand-written backward.
/// </summary>
/// <remarks>Call: <c>apply(words, frames, plan)</c>; returns <c>[t2vSum, v2tSum]</c> (sorted order).</remarks>
internal sealed class FineGrainedLseFunction : MultiTensorFunction<FineGrainedLseFunction>
{
    private const string PlanKey = "plan";

    /// <inheritdoc />
    public override string Name => "NortonFineGrainedLogSumExp";

    /// <inheritdoc />
    public override List<Tensor> forward(AutogradContext ctx, params object[] vars)
    {
        var words = (Tensor)vars[0];
        var frames = (Tensor)vars[1];
        var plan = (FineGrainedPlan)vars[2];
        ctx.save_for_backward([words, frames]);
        ctx.save_data(PlanKey, plan);
        var (t2v, v2t) = FineGrainedKernel.Forward(words, frames, plan);
        return [t2v, v2t];
    }

    /// <inheritdoc />
    public override List<Tensor> backward(AutogradContext ctx, List<Tensor> grad_outputs)
    {
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var plan = (FineGrainedPlan)ctx.get_data(PlanKey);
        var (dw, df) = FineGrainedKernel.Backward(saved[0], saved[1], grad_outputs[0], grad_outputs[1], plan);
        // The plan argument is no tensor: its gradient slot must stay empty.
        return [dw.MoveToOuterDisposeScope(), df.MoveToOuterDisposeScope(), null!];
    }
}
