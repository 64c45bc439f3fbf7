using Norton.TestSupport;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static Norton.Losses.Tests.TestData;

namespace Norton.Losses.Tests;

public class FineGrainedSimilarityTests
{
    public static TheoryData<MaskLayout, double, FineGrainedPadding, long> Cases()
    {
        var data = new TheoryData<MaskLayout, double, FineGrainedPadding, long>();
        foreach (var layout in new[] { MaskLayout.Full, MaskLayout.Prefix, MaskLayout.Scattered, MaskLayout.Model })
            foreach (var padding in new[] { FineGrainedPadding.Original, FineGrainedPadding.IgnorePadded })
            {
                data.Add(layout, 1.0, padding, FineGrainedSimilarity.DefaultMemoryBudgetBytes);
                data.Add(layout, 0.5, padding, 2048);          // many small blocks
            }
        // alpha small enough for the per-direction max-shifted path (2/alpha > 600 in float64).
        data.Add(MaskLayout.Model, 0.002, FineGrainedPadding.Original, 4096);
        data.Add(MaskLayout.Scattered, 0.002, FineGrainedPadding.IgnorePadded, FineGrainedSimilarity.DefaultMemoryBudgetBytes);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ChunkedEqualsDirectInValuesAndGradients(MaskLayout layout, double alpha, FineGrainedPadding padding, long budget)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator().manual_seed(17 + (int)layout);
        long nt = 7, nv = 9, T = 6, V = 5, D = 8;
        var words = Features(gen, ScalarType.Float64, nt, T, D).requires_grad_();
        var frames = Features(gen, ScalarType.Float64, nv, V, D).requires_grad_();
        var tm = Mask(gen, nt, T, layout);
        var vm = Mask(gen, nv, V, layout);
        var upT = Features(gen, ScalarType.Float64, nt, nv);
        var upV = Features(gen, ScalarType.Float64, nt, nv);

        var (et, ev) = DirectReference.FineGrained(words, tm, frames, vm, alpha, padding);
        var expectedGrads = autograd.grad([(et * upT).sum() + (ev * upV).sum()], [words, frames]);

        var op = new FineGrainedSimilarity(alpha, padding, budget);
        var (t2v, v2t) = op.Compute(new TextFeatures(words.sum(1), words, tm), new VideoFeatures(frames.sum(1), frames, vm));
        var grads = autograd.grad([(t2v * upT).sum() + (v2t * upV).sum()], [words, frames]);

        Tolerance.AssertClose(et, t2v, 1e-12, 1e-13, 0, "t2v");
        Tolerance.AssertClose(ev, v2t, 1e-12, 1e-13, 0, "v2t");
        Tolerance.AssertClose(expectedGrads[0], grads[0], 1e-10, 1e-12, 0, "d/d words");
        Tolerance.AssertClose(expectedGrads[1], grads[1], 1e-10, 1e-12, 0, "d/d frames");
    }
}
