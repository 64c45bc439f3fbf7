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
/// <remarks>Call: <c>apply(wordsFlat, framesFlat, plan, pending, textValid, videoValid)</c>; returns
/// <c>[t2vSum, v2tSum]</c> (sorted order). <c>textValid</c>/<c>videoValid</c> are null or, in the dense layout, the
/// flattened bool masks on the device (<see cref="FineGrainedKernel.Forward"/>); given, they are saved for the
/// backward with the features.</remarks>
internal sealed class FineGrainedLseFunction : MultiTensorFunction<FineGrainedLseFunction>
{
    private const string PlanKey = "plan";

    private const string PendingKey = "pending";

    private const string ValidKey = "valid";

    // TorchSharp 0.107 disposes neither the gradient wrappers it hands to backward nor the managed wrappers of the
    // gradients backward returns (the graph copies the latter right after backward returns). Left alone they hold
    // (N*T, D) and (N*V, D) buffers until the garbage collector runs, so a training loop without its own dispose scope
    // would grow by ~150 MB a step at paper scale. We dispose the incoming wrappers ourselves and the returned ones
    // at the next call of the same operator (FineGrainedPendingGradients, passed in by the caller), when the graph is
    // long done with them. TorchSharp keeps one static instance of this class, so the list cannot live here.

    /// <inheritdoc />
    public override string Name => "NortonFineGrainedLogSumExp";

    /// <inheritdoc />
    public override List<Tensor> forward(AutogradContext ctx, params object[] vars)
    {
        var pending = (FineGrainedPendingGradients)vars[3];
        pending.Release();
        var wordsFlat = (Tensor)vars[0];
        var framesFlat = (Tensor)vars[1];
        var plan = (FineGrainedPlan)vars[2];
        var textValid = vars.Length > 4 ? vars[4] as Tensor : null;
        var videoValid = vars.Length > 5 ? vars[5] as Tensor : null;
        List<Tensor> saved = [wordsFlat, framesFlat];
        if (textValid is not null) saved.Add(textValid);
        if (videoValid is not null) saved.Add(videoValid);
        ctx.save_for_backward(saved);
        ctx.save_data(PlanKey, plan);
        ctx.save_data(PendingKey, pending);
        ctx.save_data(ValidKey, (textValid is not null, videoValid is not null));
        var (t2v, v2t) = FineGrainedKernel.Forward(wordsFlat, framesFlat, plan, textValid, videoValid);
        return [t2v, v2t];
    }

    /// <inheritdoc />
    public override List<Tensor> backward(AutogradContext ctx, List<Tensor> grad_outputs)
    {
        var pending = (FineGrainedPendingGradients)ctx.get_data(PendingKey);
        pending.Release();
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var plan = (FineGrainedPlan)ctx.get_data(PlanKey);
        var (hasText, hasVideo) = ((bool, bool))ctx.get_data(ValidKey);
        var textValid = hasText ? saved[2] : null;
        var videoValid = hasVideo ? saved[hasText ? 3 : 2] : null;
        var (dWordsFlat, dFramesFlat) = FineGrainedKernel.Backward(saved[0], saved[1], grad_outputs[0], grad_outputs[1], plan,
            textValid, videoValid);
        foreach (var g in grad_outputs) g?.Dispose();
        dWordsFlat.DetachFromDisposeScope();
        dFramesFlat.DetachFromDisposeScope();
        pending.Add(dWordsFlat, dFramesFlat);
        // The plan and pending arguments are no tensors, the masks are bool: their gradient slots stay empty.
        return [dWordsFlat, dFramesFlat, null!, null!, null!, null!];
    }
}
