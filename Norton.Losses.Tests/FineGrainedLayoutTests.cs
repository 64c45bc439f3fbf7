using Norton.Core.Features;
using Norton.TestSupport;
using TorchSharp;
using Xunit;
using static Norton.Losses.Tests.TestData;
using static TorchSharp.torch;

namespace Norton.Losses.Tests;

/// <summary>
/// The dense layout (plan from shapes alone, masks applied on the device, nothing read to the host: what a device runs
/// with value checks off) against the packed layout (valid slots only, masks read on the host: the CPU's, checked
/// against the direct computation and the golden vectors elsewhere). Forced here on the CPU through the internal
/// <see cref="FineGrainedSimilarity.Layout"/>.
/// </summary>
public class FineGrainedLayoutTests
{
    /// <summary>Random masks with every row valid somewhere, counts from 1 to all slots, and two rows of a single
    /// valid slot (first and last position). Invalid slots' features are zero vectors, as padding usually is.</summary>
    private static (Tensor Words, Tensor Frames, Tensor TextMask, Tensor VideoMask) Inputs(Generator gen, ScalarType dtype,
        long nt, long nv, long T, long V, long D)
    {
        Tensor M(long n, long slots)
        {
            var m = Mask(gen, n, slots, MaskLayout.Scattered);
            m[0] = arange(slots).eq(0L);               // one valid slot, first
            m[1] = arange(slots).eq(slots - 1);        // one valid slot, last
            m[2] = ones(slots, dtype: ScalarType.Bool); // all valid
            return m;
        }
        var tm = M(nt, T);
        var vm = M(nv, V);
        var words = Features(gen, dtype, nt, T, D).mul(tm.unsqueeze(2).to(dtype));
        var frames = Features(gen, dtype, nv, V, D).mul(vm.unsqueeze(2).to(dtype));
        return (words.requires_grad_(), frames.requires_grad_(), tm, vm);
    }

    public static TheoryData<ScalarType, double, FineGrainedPadding, long> Cases()
    {
        var data = new TheoryData<ScalarType, double, FineGrainedPadding, long>();
        foreach (var padding in new[] { FineGrainedPadding.Original, FineGrainedPadding.IgnorePadded })
        {
            data.Add(ScalarType.Float64, 1.0, padding, FineGrainedSimilarity.DefaultMemoryBudgetBytes);
            data.Add(ScalarType.Float64, 0.5, padding, 2048);     // many small blocks
            data.Add(ScalarType.Float64, 0.002, padding, 4096);   // the per-direction max-shifted path
            data.Add(ScalarType.Float32, 1.0, padding, FineGrainedSimilarity.DefaultMemoryBudgetBytes);
            data.Add(ScalarType.Float32, 0.02, padding, 2048);    // float32's max-shifted path (2/alpha > 60)
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DenseEqualsPackedInValuesAndGradients(ScalarType dtype, double alpha, FineGrainedPadding padding, long budget)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator().manual_seed(23);
        long nt = 9, nv = 11, T = 7, V = 6, D = 8;
        var (words, frames, tm, vm) = Inputs(gen, dtype, nt, T: T, nv: nv, V: V, D: D);
        var upT = Features(gen, dtype, nt, nv);
        var upV = Features(gen, dtype, nt, nv);

        (Tensor T2v, Tensor V2t, Tensor DWords, Tensor DFrames) Run(FineGrainedLayout layout)
        {
            using var op = new FineGrainedSimilarity(alpha, padding, budget) { Layout = layout };
            var (t2v, v2t) = op.forward(new TextFeatures(words.sum(1), words, tm), new VideoFeatures(frames.sum(1), frames, vm));
            var grads = autograd.grad([(t2v * upT).sum() + (v2t * upV).sum()], [words, frames]);
            return (t2v.detach(), v2t.detach(), grads[0], grads[1]);
        }
        var packed = Run(FineGrainedLayout.Packed);
        var dense = Run(FineGrainedLayout.Dense);

        double rtol = dtype == ScalarType.Float64 ? 1e-10 : 1e-5;
        Tolerance.AssertClose(packed.T2v, dense.T2v, rtol, rtol, 0, "t2v");
        Tolerance.AssertClose(packed.V2t, dense.V2t, rtol, rtol, 0, "v2t");
        Tolerance.AssertClose(packed.DWords, dense.DWords, rtol, rtol, 0, "d/d words");
        Tolerance.AssertClose(packed.DFrames, dense.DFrames, rtol, rtol, 0, "d/d frames");
        // Masked slots get no gradient in either layout.
        Assert.Equal(0.0, dense.DWords.masked_select(tm.logical_not().unsqueeze(2).expand_as(words)).abs().sum().to(ScalarType.Float64).item<double>());
        Assert.Equal(0.0, dense.DFrames.masked_select(vm.logical_not().unsqueeze(2).expand_as(frames)).abs().sum().to(ScalarType.Float64).item<double>());
    }

    [Fact]
    public void DenseIgnoresWhatMaskedSlotsHold()
    {
        // The packed layout never reads a masked slot; the dense one zeroes it (norm 1) before the products, so
        // non-finite padding cannot leak into a sum or a gradient (with value checks off nothing else would stop it).
        using var scope = NewDisposeScope();
        var gen = new Generator().manual_seed(3);
        var (words, frames, tm, vm) = Inputs(gen, ScalarType.Float64, 6, 5, T: 5, V: 4, D: 4);
        var nanPadded = words.detach().masked_fill(tm.logical_not().unsqueeze(2), double.NaN).requires_grad_();
        (Tensor, Tensor) Run(Tensor w, FineGrainedLayout layout)
        {
            using var op = new FineGrainedSimilarity() { Layout = layout };
            var prepared = op.Prepare(new TextFeatures(w.sum(1), w, tm), new VideoFeatures(frames.sum(1), frames, vm),
                new LossValueChecks(enabled: false));
            var (t2v, v2t) = op.Run(prepared, []);
            var g = autograd.grad([t2v.sum() + v2t.sum()], [w])[0];
            return (t2v.detach(), g);
        }
        var (expected, expectedGrad) = Run(words, FineGrainedLayout.Packed);
        var (actual, actualGrad) = Run(nanPadded, FineGrainedLayout.Dense);
        Tolerance.AssertClose(expected, actual, 1e-10, 1e-10, 0, "t2v");
        Tolerance.AssertClose(expectedGrad, actualGrad, 1e-10, 1e-10, 0, "d/d words");
    }

    public static TheoryData<ScalarType, FineGrainedPadding, bool> LossCases()
    {
        var data = new TheoryData<ScalarType, FineGrainedPadding, bool>();
        foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
            foreach (var padding in new[] { FineGrainedPadding.Original, FineGrainedPadding.IgnorePadded })
                foreach (bool checks in new[] { true, false })
                    data.Add(dtype, padding, checks);
        return data;
    }

    [Theory]
    [MemberData(nameof(LossCases))]
    public void NortonLossIsTheSameInBothLayouts(ScalarType dtype, FineGrainedPadding padding, bool checkValues)
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch(n: 12, t: 7, v: 5, dtype: dtype, seed: 9, requiresGrad: true, layout: MaskLayout.Scattered);
        var options = new NortonLossOptions { Length = 4, Padding = padding, CheckValues = checkValues };
        Tensor[] leaves = [v.Pooled, v.Frames!, t.Pooled, t.Words!];

        (Tensor Loss, Tensor[] Grads) Step(FineGrainedLayout layout)
        {
            using var loss = new NortonLoss(options);
            loss.VideoParagraph!.FineGrained.Layout = layout;
            using var output = loss.forward(v, t);
            var grads = autograd.grad([output.Loss], leaves);
            return (output.Loss.detach().clone(), grads.ToArray());
        }
        var packed = Step(FineGrainedLayout.Packed);
        var dense = Step(FineGrainedLayout.Dense);

        double rtol = dtype == ScalarType.Float64 ? 1e-10 : 1e-5;
        Tolerance.AssertClose(packed.Loss, dense.Loss, rtol, rtol, 0, "loss");
        string[] names = ["d/d video.Pooled", "d/d video.Frames", "d/d text.Pooled", "d/d text.Words"];
        for (int i = 0; i < leaves.Length; i++)
            Tolerance.AssertClose(packed.Grads[i], dense.Grads[i], rtol, rtol, 0, names[i]);
    }

    [Fact]
    public void AutoPacksOnTheCpu()
    {
        // Auto is the packed layout for CPU tensors, checks on or off: the same bits as before the dense layout existed.
        using var scope = NewDisposeScope();
        var (v, t) = Batch(n: 12, requiresGrad: true);
        foreach (bool checkValues in new[] { true, false })
        {
            var options = new NortonLossOptions { Length = 4, CheckValues = checkValues };
            double Loss(FineGrainedLayout layout)
            {
                using var loss = new NortonLoss(options);
                loss.VideoParagraph!.FineGrained.Layout = layout;
                using var output = loss.forward(v, t);
                return output.Loss.to(ScalarType.Float64).item<double>();
            }
            Assert.Equal(Loss(FineGrainedLayout.Packed), Loss(FineGrainedLayout.Auto));
        }
    }
}
