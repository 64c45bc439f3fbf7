using Norton.Core.Features;
using Norton.Losses;
using Xunit;
using static Norton.Losses.Tests.TestData;
using static TorchSharp.torch;

namespace Norton.Losses.Tests;

/// <summary>
/// Device-to-host transfers of one NortonLoss.forward + backward, counted through Norton.Core's single read helper
/// (HostReads), which the loss's value checks and the Sinkhorn solver both go through: one with value checks on, none
/// with them off. The masks the fine-grained kernel packs ride in the checks' one transfer; with checks off they are
/// read in place from CPU memory (no transfer, counted apart: HostReads.InPlaceCount), and tensors on a device get the
/// dense layout, which reads nothing (forced here on the CPU). The solves themselves read nothing: the loss runs them
/// with the solver's value checks off, its own checks having covered their inputs (docs/performance.md).
/// </summary>
public class HostReadTests
{
    private static readonly NortonLossOptions Small = new() { Length = 4 };

    private static int ReadsOfOneStep(NortonLossOptions options, VideoFeatures v, TextFeatures t,
        FineGrainedLayout layout = FineGrainedLayout.Auto)
    {
        using var scope = NewDisposeScope();
        using var loss = new NortonLoss(options);
        if (loss.VideoParagraph is { } paragraph) paragraph.FineGrained.Layout = layout;
        HostReads.Reset();
        using (var o = loss.forward(v, t))
            o.Loss.backward();
        return HostReads.Count;
    }

    private static (VideoFeatures, TextFeatures) Unmasked(VideoFeatures v, TextFeatures t) =>
        (new VideoFeatures(v.Pooled, v.Frames), new TextFeatures(t.Pooled, t.Words));

    [Fact]
    public void ChecksOnReadOnceWhateverTheMasks()
    {
        var (v, t) = Batch(n: 12, requiresGrad: true);
        Assert.Equal(1, ReadsOfOneStep(Small, v, t));
        // Numeric 0/1 masks add their 0/1 check to the same transfer.
        var (vf, tf) = (new VideoFeatures(v.Pooled, v.Frames, v.Mask!.to(ScalarType.Float32)),
            new TextFeatures(t.Pooled, t.Words, t.Mask!.to(ScalarType.Int64)));
        Assert.Equal(1, ReadsOfOneStep(Small, vf, tf));
        var (vu, tu) = Unmasked(v, t);
        Assert.Equal(1, ReadsOfOneStep(Small, vu, tu));
        // The clip-caption branch alone reads its checks once too.
        Assert.Equal(1, ReadsOfOneStep(Small with { SequenceContrastWeight = null }, v, t));
    }

    [Fact]
    public void ASolveTheSizeOfScalingAddsNoRead()
    {
        // N = 64: the clip-caption plan has 4,096 entries, where Auto with the solver's checks on would pick the scaling
        // backend and read its range test; the loss solves with them off, so Auto runs the log domain and reads nothing.
        var (v, t) = Batch(n: 64, requiresGrad: true);
        var clipOnly = Small with { SequenceContrastWeight = null };
        Assert.Equal(1, ReadsOfOneStep(clipOnly, v, t));
        Assert.Equal(0, ReadsOfOneStep(clipOnly with { CheckValues = false }, v, t));
        Assert.Equal(1, ReadsOfOneStep(Small, v, t));
        var (vu, tu) = Unmasked(v, t);
        Assert.Equal(0, ReadsOfOneStep(Small with { CheckValues = false }, vu, tu));
    }

    [Fact]
    public void ChecksOffReadNothing()
    {
        var (v, t) = Batch(n: 12, requiresGrad: true);
        var off = Small with { CheckValues = false };
        var (vu, tu) = Unmasked(v, t);
        Assert.Equal(0, ReadsOfOneStep(off, vu, tu));
        Assert.Equal(0, HostReads.InPlaceCount);
        Assert.Equal(0, ReadsOfOneStep(off with { SequenceContrastWeight = null }, v, t));
        Assert.Equal(0, HostReads.InPlaceCount);
        // Masks on the CPU: the fine-grained kernel packs the valid slots, both masks read where they lie (no transfer).
        Assert.Equal(0, ReadsOfOneStep(off, v, t));
        Assert.Equal(2, HostReads.InPlaceCount);
        // The dense layout (what Auto runs for tensors on a device) applies the masks on the device: nothing is read.
        Assert.Equal(0, ReadsOfOneStep(off, v, t, FineGrainedLayout.Dense));
        Assert.Equal(0, HostReads.InPlaceCount);
    }

    [Fact]
    public void ChecksOnReadTheMasksInTheirOneTransfer()
    {
        var (v, t) = Batch(n: 12, requiresGrad: true);
        Assert.Equal(1, ReadsOfOneStep(Small, v, t));
        Assert.Equal(0, HostReads.InPlaceCount);
        // The dense layout leaves the masks out of it: the transfer holds the check flags alone.
        Assert.Equal(1, ReadsOfOneStep(Small, v, t, FineGrainedLayout.Dense));
        Assert.Equal(0, HostReads.InPlaceCount);
    }

    [Fact]
    public void ChecksOffGiveTheSameLossAndGradients()
    {
        var (v, t) = Batch(n: 12, requiresGrad: true);
        double Step(NortonLossOptions o, out double[] grad)
        {
            using var loss = new NortonLoss(o);
            using var output = loss.forward(v, t);
            output.Loss.backward();
            grad = v.Frames!.grad!.flatten().data<double>().ToArray();
            using (var g = v.Frames.grad) v.Frames.grad = null;
            foreach (var leaf in new[] { v.Pooled, t.Pooled, t.Words! })
            {
                using var g = leaf.grad;
                leaf.grad = null;
            }
            return output.Loss.item<double>();
        }
        double on = Step(Small, out var gOn), off = Step(Small with { CheckValues = false }, out var gOff);
        Assert.Equal(on, off);
        Assert.Equal(gOn, gOff);
    }

    [Fact]
    public void ChecksOffLetBadValuesThrough()
    {
        var (v, t) = Batch(n: 12);
        v.Pooled[0, 0] = tensor(double.NaN, dtype: ScalarType.Float64);
        Assert.Contains("must be finite", Assert.ThrowsAny<ArgumentException>(() => new NortonLoss(Small).forward(v, t)).Message);
        // Off, nothing looks, the solver included (the loss runs it with its checks off): the NaN reaches the loss, as
        // in the original.
        using var o = new NortonLoss(Small with { CheckValues = false, SinkhornIterations = null, SequenceContrastWeight = null }).forward(v, t);
        Assert.True(double.IsNaN(o.Loss.item<double>()));
        using var ot = new NortonLoss(Small with { CheckValues = false }).forward(v, t);
        Assert.True(double.IsNaN(ot.Loss.item<double>()));
    }
}
