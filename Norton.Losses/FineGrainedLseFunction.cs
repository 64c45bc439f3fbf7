using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Norton.Losses;

/// <summary>
/// Autograd wrapper of <see cref="FineGrainedKernel"/>. Its inputs are the flat word and frame features
/// ((N*T, D) and (N*V, D), views of the caller's tensors); the gather into the plan's layout and the unit
/// normalisation happen inside, so nothing but those inputs is kept for the backward, which recomputes the layout,
/// the normalisation and every product block, then scatters its gradient back to the flat slots.
/// </summary>
/// <remarks>Call: <c>apply(wordsFlat, framesFlat, plan)</c>; returns <c>[t2vSum, v2tSum]</c> (sorted order).</remarks>
internal sealed class FineGrainedLseFunction : MultiTensorFunction<FineGrainedLseFunction>
{
    private const string PlanKey = "plan";

    /// <inheritdoc />
    public override string Name => "NortonFineGrainedLogSumExp";

    /// <inheritdoc />
    public override List<Tensor> forward(AutogradContext ctx, params object[] vars)
    {
        var wordsFlat = (Tensor)vars[0];
        var framesFlat = (Tensor)vars[1];
        var plan = (FineGrainedPlan)vars[2];
        ctx.save_for_backward([wordsFlat, framesFlat]);
        ctx.save_data(PlanKey, plan);
        var (t2v, v2t) = FineGrainedKernel.Forward(wordsFlat, framesFlat, plan);
        return [t2v, v2t];
    }

    /// <inheritdoc />
    public override List<Tensor> backward(AutogradContext ctx, List<Tensor> grad_outputs)
    {
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var plan = (FineGrainedPlan)ctx.get_data(PlanKey);
        var (dWordsFlat, dFramesFlat) = FineGrainedKernel.Backward(saved[0], saved[1], grad_outputs[0], grad_outputs[1], plan);
        // The plan argument is no tensor: its gradient slot must stay empty.
        return [dWordsFlat.MoveToOuterDisposeScope(), dFramesFlat.MoveToOuterDisposeScope(), null!];
    }
}
