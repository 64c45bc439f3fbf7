using Norton.Core.Features;
using Norton.Losses.Baselines;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static Norton.Losses.Tests.TestData;

namespace Norton.Losses.Tests;

public class NortonLossTests
{
    private static readonly NortonLossOptions Small = new() { Length = 4 };

    [Fact]
    public void TotalIsClipPlusWeightedParagraphLoss()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch(n: 12, layout: MaskLayout.Prefix);
        using var loss = new NortonLoss(Small with { SequenceContrastWeight = 0.25 });
        using var o = loss.forward(v, t);
        double clip = o.ClipCaption.Loss.item<double>(), seq = o.VideoParagraph!.Loss.item<double>();
        Assert.Equal(clip + 0.25 * seq, o.Loss.item<double>(), 14);
        Assert.Equal(0.25 * seq, o.WeightedVideoParagraphLoss!.item<double>(), 14);
        Assert.Equal(o.ClipCaption.VideoToText.item<double>() + o.ClipCaption.TextToVideo.item<double>(), clip, 14);
        Assert.Equal(o.VideoParagraph.TextToVideo.item<double>() + o.VideoParagraph.VideoToText.item<double>(), seq, 14);
    }

    [Fact]
    public void WeightZeroStillEvaluatesTheParagraphBranch()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch();
        using var o = new NortonLoss(Small with { SequenceContrastWeight = 0 }).forward(v, t);
        Assert.NotNull(o.VideoParagraph);
        Assert.Equal(o.ClipCaption.Loss.item<double>(), o.Loss.item<double>(), 15);
    }

    [Fact]
    public void DiagnosticsOnlyOnRequest()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch();
        using var loss = new NortonLoss(Small);
        using (var plain = loss.forward(v, t))
        {
            Assert.Null(plain.ClipCaption.Plan);
            Assert.Null(plain.VideoParagraph!.Plan);
            Assert.Null(plain.VideoParagraph.Sinkhorn);
        }
        using var o = loss.forward(v, t, diagnostics: true);
        var seq = o.VideoParagraph!;
        Assert.Equal(new long[] { 8, 8 }, o.ClipCaption.Plan!.shape);
        Assert.Equal(new long[] { 4, 5, 5 }, seq.LogPlanAugmented!.shape);
        Assert.Equal(new long[] { 4, 4, 4 }, seq.Plan!.shape);
        Assert.Equal(new long[] { 2, 2 }, seq.ParagraphLogits!.shape);
        Assert.Equal(2, seq.PromptK);    // int(0.3 * 8)
        Assert.Equal(50, o.ClipCaption.Sinkhorn!.Iterations);
        Assert.Equal(50, seq.Sinkhorn!.Iterations);
        Assert.Equal(new long[] { 4 }, seq.Sinkhorn.Converged.shape);
        // The plan carries no gradient (docs/quirks.md Q1), and each block's mass is Length.
        Assert.False(seq.Plan.requires_grad);
        Assert.Equal(4.0, seq.Plan.sum([1L, 2L]).min().item<double>(), 12);
        // p is the k-th smallest diagonal entry of the fused similarity.
        var sorted = seq.Fused!.diagonal().sort().Values;
        Assert.Equal(sorted[1].item<double>(), seq.PromptValue!.item<double>(), 15);
    }

    [Fact]
    public void ClipOtOffIsSymmetricInfoNce()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch();
        using var o = new NortonLoss(Small with { SinkhornIterations = null, SequenceContrastWeight = null }).forward(v, t);
        Assert.Equal(new InfoNceLoss().forward(v.Pooled, t.Pooled).item<double>(), o.Loss.item<double>(), 14);
    }

    [Fact]
    public void ExtensionClipOtOffWithSequenceOtOn()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch(n: 12);
        using var o = new NortonLoss(Small with { SinkhornIterations = null, SequenceSinkhornIterations = 50 }).forward(v, t);
        using var seqResult = new VideoParagraphLoss(Small).forward(v, t);         // shared count 50
        double seq = seqResult.Loss.item<double>();
        Assert.Equal(seq, o.VideoParagraph!.Loss.item<double>(), 14);
        Assert.Equal(new InfoNceLoss().forward(v.Pooled, t.Pooled).item<double>(), o.ClipCaption.Loss.item<double>(), 14);
    }

    [Fact]
    public void LogitScaleIsARegisteredParameterFrozenByDefault()
    {
        using var loss = new NortonLoss();
        var named = loss.named_parameters().ToList();
        Assert.Single(named);
        Assert.Equal("video_paragraph.logit_scale", named[0].name);
        Assert.False(named[0].parameter.requires_grad);
        Assert.Equal(Math.Log(1 / 0.07), named[0].parameter.item<double>(), 15);
        using var trained = new NortonLoss(new NortonLossOptions { TrainLogitScale = true });
        Assert.True(trained.LogitScale!.requires_grad);
    }

    [Fact]
    public void TrainableLogitScaleGetsTheFiniteDifferenceGradient()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch(n: 12, layout: MaskLayout.Scattered);
        var options = Small with { TrainLogitScale = true, LogitScale = 1.3 };
        using var loss = new NortonLoss(options);
        using (var o = loss.forward(v, t)) o.Loss.backward();
        double grad = loss.LogitScale!.grad!.item<double>();
        double h = 1e-5;
        double Value(double s)
        {
            using var l = new NortonLoss(options with { LogitScale = s });
            using var o = l.forward(v, t);
            return o.Loss.item<double>();
        }
        double fd = (Value(1.3 + h) - Value(1.3 - h)) / (2 * h);
        Assert.Equal(fd, grad, 7);
        Assert.NotEqual(0.0, grad);
    }

    [Fact]
    public void LogitScaleIsClampedBeforeUse()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch();
        using var o = new NortonLoss(Small with { LogitScale = 10 }).forward(v, t, diagnostics: true);
        Assert.Equal(Math.Exp(4.6052), o.VideoParagraph!.Temperature!.item<double>(), 12);
    }

    [Theory]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void HalfPrecisionFeaturesRunInFloat32(ScalarType half)
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch(n: 8, dtype: half, requiresGrad: true);
        using var loss = new NortonLoss(Small);
        using var o = loss.forward(v, t);
        Assert.Equal(ScalarType.Float32, o.Loss.dtype);
        o.Loss.backward();
        foreach (var x in new[] { v.Pooled, v.Frames!, t.Pooled, t.Words! })
        {
            Assert.Equal(half, x.grad!.dtype);
            Assert.True(x.grad.isfinite().all().item<bool>());
        }
        // Same numbers as float32 on the same (rounded) values: the half inputs are only widened.
        Tensor F(Tensor x) => x.detach().to(ScalarType.Float32);
        using var o32 = loss.forward(new VideoFeatures(F(v.Pooled), F(v.Frames!), v.Mask), new TextFeatures(F(t.Pooled), F(t.Words!), t.Mask));
        Assert.Equal(o32.Loss.item<float>(), o.Loss.item<float>());
    }

    [Fact]
    public void PromptRatioNoneUsesTheUniformOtExtension()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch();
        using var o = new NortonLoss(Small with { PromptRatio = null }).forward(v, t, diagnostics: true);
        Assert.Null(o.VideoParagraph!.PromptK);
        Assert.Null(o.VideoParagraph.PromptValue);
        Assert.Equal(new long[] { 4, 4, 4 }, o.VideoParagraph.LogPlanAugmented!.shape);
        Assert.True(double.IsFinite(o.Loss.item<double>()));
    }

    [Fact]
    public void ForwardLeavesOnlyItsOutputAlive()
    {
        var (v, t) = Batch(n: 12, requiresGrad: true);
        using var loss = new NortonLoss(Small);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var o = loss.forward(v, t, diagnostics: true))
            Assert.True(DisposeScopeManager.Statistics.ThreadTotalLiveCount > before);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void BackwardLeavesNothingAliveOnceTheNextStepStarts()
    {
        var (v, t) = Batch(n: 12, requiresGrad: true);
        using var loss = new NortonLoss(Small);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int step = 0; step < 3; step++)
        {
            using (var o = loss.forward(v, t))
                o.Loss.backward();
            foreach (var leaf in new[] { v.Pooled, v.Frames!, t.Pooled, t.Words! })
            {
                using var g = leaf.grad;
                leaf.grad = null;
            }
            // TorchSharp leaves the custom backward's gradient wrappers alive; this loss frees them on its next use.
            var pending = loss.VideoParagraph!.FineGrained.PendingGradients;
            Assert.Equal(2, pending.Count);
            pending.Release();
            Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
    }

    [Fact]
    public void PendingGradientsBelongToTheirLoss()
    {
        var (v, t) = Batch(n: 12, requiresGrad: true);
        using var a = new NortonLoss(Small);
        using var b = new NortonLoss(Small);
        using (var o = a.forward(v, t))
            o.Loss.backward();
        var pendingA = a.VideoParagraph!.FineGrained.PendingGradients;
        Assert.Equal(2, pendingA.Count);
        // Another loss's forward and backward leave a's gradients alone (a process-wide list would free them here).
        using (var o = b.forward(v, t))
            o.Loss.backward();
        Assert.Equal(2, pendingA.Count);
        Assert.Equal(2, b.VideoParagraph!.FineGrained.PendingGradients.Count);
        // a's next forward frees them; disposing b frees b's.
        using (a.forward(v, t)) { }
        Assert.Equal(0, pendingA.Count);
        b.Dispose();
        Assert.Equal(0, b.VideoParagraph!.FineGrained.PendingGradients.Count);
        foreach (var leaf in new[] { v.Pooled, v.Frames!, t.Pooled, t.Words! })
        {
            using var g = leaf.grad;
            leaf.grad = null;
        }
    }

    [Fact]
    public void ABatchOfIdenticalClipsGivesNaNAsTheOriginal()
    {
        // Every clip and caption the same: each similarity matrix is constant, the global min-max (docs/quirks.md Q2)
        // divides 0 by 0, and the original's loss is NaN. The value checks pass (the inputs are finite, non-zero and
        // well masked) and do not read the computed similarities (that would be a second transfer); the loss returns
        // NaN as the original does, and NortonTrainer stops on it with a clear error.
        using var scope = NewDisposeScope();
        var (v, t) = Batch(n: 8, d: 6, t: 5, v: 4);
        var (pv, fv) = (v.Pooled[..1].expand(8, 6).contiguous(), v.Frames![..1].expand(8, 4, 6).contiguous());
        var (pt, ft) = (pv.clone(), fv[.., ..4].clone());
        var video = new VideoFeatures(pv, fv);
        var text = new TextFeatures(pt, ft);
        using var loss = new NortonLoss(new NortonLossOptions { Length = 4 });
        using var output = loss.forward(video, text);
        Assert.True(double.IsNaN(output.VideoParagraph!.Loss.to(ScalarType.Float64).item<double>()));
        // The clip-caption branch alone has no min-max and stays finite on the same batch.
        Assert.True(double.IsFinite(output.ClipCaption.Loss.to(ScalarType.Float64).item<double>()));
    }
}
