using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Losses.Tests;

/// <summary>
/// The fine-grained similarity computed the direct way, as the reference implementation behind the golden vectors does it (testdata/README.md):
/// the whole (N, N, T, V) similarity tensor, masked log-sum-exp, autograd for the gradients. Test oracle only.
/// </summary>
internal static class DirectReference
{
    public static (Tensor T2v, Tensor V2t) FineGrained(Tensor words, Tensor wordMask, Tensor frames, Tensor frameMask,
        double alpha, FineGrainedPadding padding)
    {
        var tm = wordMask.to(ScalarType.Bool);
        var vm = frameMask.to(ScalarType.Bool);
        var dt = words.dtype;
        var nWords = tm.sum(-1).to(dt);
        var nFrames = vm.sum(-1).to(dt);
        var u = words / words.norm(-1, keepdim: true);
        var w = frames / frames.norm(-1, keepdim: true);
        var s = einsum("atd,bvd->abtv", u, w) / alpha;

        var lseV = s.masked_fill(vm.logical_not().unsqueeze(0).unsqueeze(2), double.NegativeInfinity).logsumexp(3) * alpha;   // (a, b, t)
        var padWord = padding == FineGrainedPadding.Original
            ? (alpha * nFrames.log()).view(1, -1, 1)
            : zeros(1, 1, 1, dtype: dt);
        lseV = where(tm.unsqueeze(1), lseV, padWord);
        var t2v = lseV.sum(2) / nWords.unsqueeze(1);

        var lseT = s.masked_fill(tm.logical_not().unsqueeze(1).unsqueeze(3), double.NegativeInfinity).logsumexp(2) * alpha;   // (a, b, v)
        var padFrame = padding == FineGrainedPadding.Original
            ? (alpha * nWords.log()).view(-1, 1, 1)
            : zeros(1, 1, 1, dtype: dt);
        lseT = where(vm.unsqueeze(0), lseT, padFrame);
        var v2t = lseT.sum(2) / nFrames.unsqueeze(0);
        return (t2v, v2t);
    }
}
