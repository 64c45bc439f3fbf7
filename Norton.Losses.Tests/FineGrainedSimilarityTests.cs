using Norton.Core;
using Norton.Core.Features;
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
        var (t2v, v2t) = op.forward(new TextFeatures(words.sum(1), words, tm), new VideoFeatures(frames.sum(1), frames, vm));
        var grads = autograd.grad([(t2v * upT).sum() + (v2t * upV).sum()], [words, frames]);

        Tolerance.AssertClose(et, t2v, 1e-12, 1e-13, 0, "t2v");
        Tolerance.AssertClose(ev, v2t, 1e-12, 1e-13, 0, "v2t");
        Tolerance.AssertClose(expectedGrads[0], grads[0], 1e-10, 1e-12, 0, "d/d words");
        Tolerance.AssertClose(expectedGrads[1], grads[1], 1e-10, 1e-12, 0, "d/d frames");
    }

    [Fact]
    public void OriginalArithmeticDependsOnPaddedLengthsTheCleanVariantDoesNot()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator().manual_seed(5);
        var words = Features(gen, ScalarType.Float64, 5, 4, 6);
        var frames = Features(gen, ScalarType.Float64, 5, 3, 6);
        var tm = Mask(gen, 5, 4, MaskLayout.Prefix);
        var vm = Mask(gen, 5, 3, MaskLayout.Prefix);
        // Three more masked word slots (docs/quirks.md Q3).
        var wordsLong = cat([words, Features(gen, ScalarType.Float64, 5, 3, 6)], 1);
        var tmLong = cat([tm, zeros(5, 3, dtype: ScalarType.Bool)], 1);
        foreach (var padding in new[] { FineGrainedPadding.Original, FineGrainedPadding.IgnorePadded })
        {
            var op = new FineGrainedSimilarity(padding: padding);
            var video = new VideoFeatures(frames.sum(1), frames, vm);
            var (a, _) = op.forward(new TextFeatures(words.sum(1), words, tm), video);
            var (b, _) = op.forward(new TextFeatures(words.sum(1), wordsLong, tmLong), video);
            double change = (a - b).abs().max().item<double>();
            if (padding == FineGrainedPadding.Original) Assert.True(change > 1e-3, $"change {change}");
            else Assert.True(change < 1e-14, $"change {change}");
        }
    }

    [Theory]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void HalfPrecisionIsComputedInFloat32(ScalarType half)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator().manual_seed(8);
        var words = Features(gen, half, 4, 5, 8);
        var frames = Features(gen, half, 6, 3, 8);
        var tm = Mask(gen, 4, 5, MaskLayout.Model);
        var vm = Mask(gen, 6, 3, MaskLayout.Model);
        var (t2v, v2t) = new FineGrainedSimilarity().forward(new TextFeatures(words.sum(1), words, tm), new VideoFeatures(frames.sum(1), frames, vm));
        Assert.Equal(ScalarType.Float32, t2v.dtype);
        var (et, ev) = DirectReference.FineGrained(words.to(ScalarType.Float64), tm, frames.to(ScalarType.Float64), vm, 1, FineGrainedPadding.Original);
        Tolerance.AssertClose(et, t2v, 1e-5, 1e-6, 0, "t2v");
        Tolerance.AssertClose(ev, v2t, 1e-5, 1e-6, 0, "v2t");
    }

    /// <summary>(t2v, v2t) and the gradients w.r.t. words and frames of <c>sum(t2v * upT) + sum(v2t * upV)</c>.</summary>
    private static Tensor[] ValuesAndGradients(FineGrainedSimilarity op, Tensor words, Tensor tm, Tensor frames, Tensor vm, Tensor upT, Tensor upV)
    {
        var (t2v, v2t) = op.forward(new TextFeatures(words.sum(1), words, tm), new VideoFeatures(frames.sum(1), frames, vm));
        var total = (t2v * upT).sum().add((v2t * upV).sum(), Scalars.One);
        var grads = autograd.grad([total], [words, frames]);
        return [t2v.detach(), v2t.detach(), grads[0], grads[1]];
    }

    private sealed record Shape(long Nt, long Nv, long T, long V, long D, ScalarType DType, MaskLayout Layout, int Seed);

    private static (Tensor Words, Tensor Tm, Tensor Frames, Tensor Vm, Tensor UpT, Tensor UpV) Inputs(Shape s)
    {
        var gen = new Generator().manual_seed(s.Seed);
        var words = Features(gen, s.DType, s.Nt, s.T, s.D).requires_grad_();
        var frames = Features(gen, s.DType, s.Nv, s.V, s.D).requires_grad_();
        var tm = Mask(gen, s.Nt, s.T, s.Layout);
        var vm = Mask(gen, s.Nv, s.V, s.Layout);
        return (words, tm, frames, vm, Features(gen, s.DType, s.Nt, s.Nv), Features(gen, s.DType, s.Nt, s.Nv));
    }

    /// <summary>Same dtype, shape and bits.</summary>
    private static bool Identical(Tensor a, Tensor b)
    {
        if (a.dtype != b.dtype || !a.shape.SequenceEqual(b.shape)) return false;
        using var scope = NewDisposeScope();
        return a.contiguous().bytes.SequenceEqual(b.contiguous().bytes);
    }

    private static void AssertIdentical(Tensor[] expected, Tensor[] actual, string what)
    {
        string[] names = ["t2v", "v2t", "d/d words", "d/d frames"];
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Identical(expected[i], actual[i]), $"{what}: {names[i]} differs from a fresh operator's");
    }

    [Theory]
    [InlineData(FineGrainedSimilarity.DefaultMemoryBudgetBytes)]
    [InlineData(4096L)]           // many chunk pairs: the workspace's views change size from block to block
    public void OneOperatorOverChangingShapesAndDtypesGivesWhatFreshOperatorsGive(long budget)
    {
        // The kernel cuts one workspace per call into views sized by that call's plan; nothing of an earlier call
        // (its shapes, its dtype, its values) may show in a later one.
        Shape[] shapes =
        [
            new(7, 9, 6, 5, 8, ScalarType.Float64, MaskLayout.Model, 1),
            new(12, 5, 3, 7, 4, ScalarType.Float64, MaskLayout.Scattered, 2),
            new(3, 4, 9, 2, 16, ScalarType.Float32, MaskLayout.Prefix, 3),
            new(7, 9, 6, 5, 8, ScalarType.Float64, MaskLayout.Model, 1),
            new(20, 16, 5, 6, 8, ScalarType.Float32, MaskLayout.Full, 4),
            new(3, 4, 9, 2, 16, ScalarType.Float32, MaskLayout.Prefix, 3),
        ];
        using var scope = NewDisposeScope();
        var reused = new FineGrainedSimilarity(0.5, FineGrainedPadding.Original, budget);
        for (int k = 0; k < shapes.Length; k++)
        {
            var (words, tm, frames, vm, upT, upV) = Inputs(shapes[k]);
            var fresh = ValuesAndGradients(new FineGrainedSimilarity(0.5, FineGrainedPadding.Original, budget), words, tm, frames, vm, upT, upV);
            var again = ValuesAndGradients(reused, words, tm, frames, vm, upT, upV);
            AssertIdentical(fresh, again, $"call {k} ({shapes[k]})");
        }
    }

    [Fact]
    public void TwoOperatorsOnTwoThreadsGiveTheSingleThreadedResults()
    {
        Shape[] shapes =
        [
            new(9, 11, 7, 6, 12, ScalarType.Float64, MaskLayout.Model, 5),
            new(14, 6, 4, 8, 10, ScalarType.Float32, MaskLayout.Scattered, 6),
        ];
        const int Steps = 25;
        using var scope = NewDisposeScope();
        var inputs = shapes.Select(Inputs).ToArray();
        var expected = inputs.Select(x => ValuesAndGradients(new FineGrainedSimilarity(1.0, FineGrainedPadding.Original, 8192),
            x.Words, x.Tm, x.Frames, x.Vm, x.UpT, x.UpV)).ToArray();
        var failures = new string?[shapes.Length];
        var threads = Enumerable.Range(0, shapes.Length).Select(i => new Thread(() =>
        {
            try
            {
                // One operator per thread (docs/thread-safety.md); each call has its own workspace.
                var op = new FineGrainedSimilarity(1.0, FineGrainedPadding.Original, 8192);
                var x = inputs[i];
                for (int step = 0; step < Steps && failures[i] is null; step++)
                {
                    using var stepScope = NewDisposeScope();
                    var actual = ValuesAndGradients(op, x.Words, x.Tm, x.Frames, x.Vm, x.UpT, x.UpV);
                    for (int j = 0; j < actual.Length; j++)
                        if (!Identical(expected[i][j], actual[j])) failures[i] = $"thread {i}, step {step}: output {j} differs";
                }
            }
            catch (Exception e)
            {
                failures[i] = $"thread {i}: {e}";
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.All(failures, f => Assert.Null(f));
    }

    [Fact]
    public void ChunksCoverEveryItemOnceWithinTheBlockSize()
    {
        long[] counts = [1, 1, 2, 2, 2, 3, 5, 5, 8, 9];
        foreach (long penalty in new long[] { 0, 4, 1000 })
            foreach (long maxSlots in new long[] { 9, 16, 100 })
            {
                var chunks = FineGrainedPlan.ChooseChunks(counts, maxSlots, penalty);
                int next = 0;
                long slot = 0;
                foreach (var c in chunks)
                {
                    Assert.Equal(next, c.ItemStart);
                    Assert.Equal(slot, c.SlotStart);
                    Assert.Equal(counts[c.ItemStart + c.Items - 1], c.Width);
                    Assert.True(c.Items == 1 || c.Slots <= maxSlots, $"chunk of {c.Slots} slots > {maxSlots}");
                    next += c.Items;
                    slot += c.Slots;
                }
                Assert.Equal(counts.Length, next);
                if (penalty == 0)      // no reason to pad: one chunk per distinct count (or smaller)
                    Assert.All(chunks, c => Assert.Equal(counts[c.ItemStart], counts[c.ItemStart + c.Items - 1]));
            }
        // A large per-chunk cost merges everything that fits: 10 items x width 9 = 90 <= 100.
        Assert.Single(FineGrainedPlan.ChooseChunks(counts, 100, 1000));
    }
}
