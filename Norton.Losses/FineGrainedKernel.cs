using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Losses;

/// <summary>
/// The chunked frame-word log-sum-exp of <see cref="FineGrainedSimilarity"/>, forward and hand-written backward,
/// over the packed layout of a <see cref="FineGrainedPlan"/>. Never holds more than one product block.
/// </summary>
/// <remarks>
/// Inputs are unit-normalised packed words W (Nw, D) and frames F (Nf, D); for a block of whole captions x whole
/// videos the product <c>C = W F^T</c> holds every cosine the block needs. The outputs are, in sorted order,
/// <c>t2vSum[a,b] = sum over valid words t of alpha*LSE_v(C_tv/alpha)</c> and
/// <c>v2tSum[a,b] = sum over valid frames v of alpha*LSE_t(C_tv/alpha)</c>. The backward recomputes each block's
/// product (a fourth matrix product instead of keeping N x N x T x V values) and uses
/// <c>d t2vSum/dC_tv = softmax_v</c>, <c>d v2tSum/dC_tv = softmax_t</c>.
/// </remarks>
internal static class FineGrainedKernel
{
    /// <summary>The (t2vSum, v2tSum) sums, (Nt, Nv) each, rows and columns in the plan's sorted order.</summary>
    public static (Tensor T2vSum, Tensor V2tSum) Forward(Tensor words, Tensor frames, FineGrainedPlan plan)
    {
        long nt = plan.Text.Counts.LongLength, nv = plan.Video.Counts.LongLength;
        using var scope = NewDisposeScope();
        var t2v = empty(nt, nv, dtype: words.dtype, device: words.device);
        var v2t = empty(nt, nv, dtype: words.dtype, device: words.device);
        double alpha = plan.Alpha;
        foreach (var rc in plan.Text.Chunks)
        {
            var wr = words.narrow(0, rc.SlotStart, rc.Slots);
            foreach (var cc in plan.Video.Chunks)
            {
                using var blockScope = NewDisposeScope();
                var block = Products(wr, frames.narrow(0, cc.SlotStart, cc.Slots), plan);
                foreach (var rs in rc.Segments)
                    foreach (var cs in cc.Segments)
                    {
                        var sub = View(block, rs, cs);
                        Tensor a, b;
                        if (plan.Shifted)
                        {
                            // alpha*LSE = 1 + alpha*log(sum exp((C - 1)/alpha)), summed over the valid slots.
                            a = sub.sum(3).log_().sum(1).mul_(alpha).add_(rs.Count);
                            b = sub.sum(1).log_().sum(2).mul_(alpha).add_(cs.Count);
                        }
                        else
                        {
                            a = sub.logsumexp(3).sum(1).mul_(alpha);
                            b = sub.logsumexp(1).sum(2).mul_(alpha);
                        }
                        Cell(t2v, rc, rs, cc, cs).copy_(a);
                        Cell(v2t, rc, rs, cc, cs).copy_(b);
                    }
            }
        }
        return (t2v.MoveToOuterDisposeScope(), v2t.MoveToOuterDisposeScope());
    }

    /// <summary>Gradients w.r.t. the packed words and frames, given the gradients of the two sums (sorted order).</summary>
    public static (Tensor DWords, Tensor DFrames) Backward(Tensor words, Tensor frames, Tensor gradT2v, Tensor gradV2t, FineGrainedPlan plan)
    {
        using var scope = NewDisposeScope();
        var dw = zeros_like(words);
        var df = zeros_like(frames);
        foreach (var rc in plan.Text.Chunks)
        {
            var wr = words.narrow(0, rc.SlotStart, rc.Slots);
            var dwr = dw.narrow(0, rc.SlotStart, rc.Slots);
            foreach (var cc in plan.Video.Chunks)
            {
                using var blockScope = NewDisposeScope();
                var fc = frames.narrow(0, cc.SlotStart, cc.Slots);
                var block = Products(wr, fc, plan);
                foreach (var rs in rc.Segments)
                    foreach (var cs in cc.Segments)
                    {
                        using var cellScope = NewDisposeScope();
                        var sub = View(block, rs, cs);
                        var gt = Cell(gradT2v, rc, rs, cc, cs);
                        var gv = Cell(gradV2t, rc, rs, cc, cs);
                        if (plan.Shifted)
                        {
                            // dC = E * (g_t2v / Z_words + g_v2t / Z_frames): the two softmaxes share one exp.
                            var perWord = (gt.unsqueeze(1) / sub.sum(3)).unsqueeze(3);     // (na, ka, nb, 1)
                            var perFrame = (gv.unsqueeze(2) / sub.sum(1)).unsqueeze(1);    // (na, 1, nb, kb)
                            sub.mul_(perWord + perFrame);
                        }
                        else
                        {
                            var overFrames = (sub - sub.logsumexp(3, keepdim: true)).exp_().mul_(gt.view(rs.Items, 1, cs.Items, 1));
                            sub.sub_(sub.logsumexp(1, keepdim: true)).exp_().mul_(gv.view(rs.Items, 1, cs.Items, 1)).add_(overFrames);
                        }
                    }
                // block now holds dLoss/dC for the whole block.
                dwr.addmm_(block, fc);
                df.narrow(0, cc.SlotStart, cc.Slots).addmm_(block.t(), wr);
            }
        }
        return (dw.MoveToOuterDisposeScope(), df.MoveToOuterDisposeScope());
    }

    /// <summary>Shifted plan: <c>exp((C - 1)/alpha)</c>; otherwise <c>C/alpha</c>.</summary>
    private static Tensor Products(Tensor wr, Tensor fc, FineGrainedPlan plan)
    {
        double alpha = plan.Alpha;
        if (plan.Shifted)
        {
            using var minusOne = tensor(-1.0, dtype: wr.dtype, device: wr.device);
            var shifted = addmm(minusOne, wr, fc.t(), beta: 1, alpha: 1);
            return (alpha == 1 ? shifted : shifted.div_(alpha)).exp_();
        }
        var s = wr.mm(fc.t());
        return alpha == 1 ? s : s.div_(alpha);
    }

    /// <summary>The (texts, words, videos, frames) view of one segment pair inside a block.</summary>
    private static Tensor View(Tensor block, FineGrainedPlan.Segment rs, FineGrainedPlan.Segment cs) =>
        block.narrow(0, rs.SlotOffset, (long)rs.Items * rs.Count)
             .narrow(1, cs.SlotOffset, (long)cs.Items * cs.Count)
             .view(rs.Items, rs.Count, cs.Items, cs.Count);

    /// <summary>The (texts, videos) cell of an N x N matrix (sorted order) that a segment pair covers.</summary>
    private static Tensor Cell(Tensor m, FineGrainedPlan.Chunk rc, FineGrainedPlan.Segment rs, FineGrainedPlan.Chunk cc, FineGrainedPlan.Segment cs) =>
        m.narrow(0, rc.ItemStart + rs.ItemOffset, rs.Items).narrow(1, cc.ItemStart + cs.ItemOffset, cs.Items);
}
