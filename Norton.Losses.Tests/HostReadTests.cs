using Norton.Core.Features;
using Norton.Losses;
using Xunit;
using static Norton.Losses.Tests.TestData;
using static TorchSharp.torch;

namespace Norton.Losses.Tests;

/// <summary>
/// Device-to-host transfers of one NortonLoss.forward + backward, counted through the loss's single read helper
/// (HostReads): one with value checks on, none with them off unless the masks must be read for the fine-grained
/// layout. Sinkhorn's own reads (Norton.Core) are outside this count (docs/performance.md).
/// </summary>
public class HostReadTests
{
    private static readonly NortonLossOptions Small = new() { Length = 4 };

    private static int ReadsOfOneStep(NortonLossOptions options, VideoFeatures v, TextFeatures t)
    {
        using var scope = NewDisposeScope();
        using var loss = new NortonLoss(options);
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
    public void ChecksOffReadNothingButTheMasksLayout()
    {
        var (v, t) = Batch(n: 12, requiresGrad: true);
        var off = Small with { CheckValues = false };
        var (vu, tu) = Unmasked(v, t);
        Assert.Equal(0, ReadsOfOneStep(off, vu, tu));
        Assert.Equal(0, ReadsOfOneStep(off with { SequenceContrastWeight = null }, v, t));
        // Masks: the fine-grained kernel packs the valid slots on the host, one transfer for both masks.
        Assert.Equal(1, ReadsOfOneStep(off, v, t));
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
        // Off, the loss does not look: plain InfoNCE returns NaN, and with OT only the solver's own check (Norton.Core,
        // outside this option) catches the NaN in its scores.
        using var o = new NortonLoss(Small with { CheckValues = false, SinkhornIterations = null, SequenceContrastWeight = null }).forward(v, t);
        Assert.True(double.IsNaN(o.Loss.item<double>()));
        var e = Assert.ThrowsAny<ArgumentException>(() => new NortonLoss(Small with { CheckValues = false }).forward(v, t));
        Assert.DoesNotContain("video.Pooled", e.Message);
    }
}
