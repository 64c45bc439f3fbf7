using Norton.Losses.Profiling;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Losses.Tests;

public class ProfilingTests
{
    [Fact]
    public void ProfileInputsFollowTheModelMaskLayout()
    {
        using var inputs = ProfileInputs.Create(clips: 64, dim: 8, wordSlots: 32, frameSlots: 16, seed: 3);
        var tm = inputs.Text.Mask!;
        var vm = inputs.Video.Mask!;
        Assert.False(tm[TensorIndex.Colon, 0].any().item<bool>());           // [CLS] word slot
        Assert.False(vm[TensorIndex.Colon, 0].any().item<bool>());           // [CLS] frame slot
        Assert.True(vm[TensorIndex.Colon, 15].all().item<bool>());           // [SEP] frame slot
        Assert.True(tm.any(1).all().item<bool>() && vm[TensorIndex.Colon, 1..15].any(1).all().item<bool>());
        // a valid prefix: no valid slot after an invalid one (words) / before [SEP] (frames)
        Assert.True((tm[TensorIndex.Colon, 2..].to(ScalarType.Int32) <= tm[TensorIndex.Colon, 1..31].to(ScalarType.Int32)).all().item<bool>());
        Assert.InRange(inputs.ValidWordFraction, 0.35, 0.65);
        Assert.InRange(inputs.ValidFrameFraction, 0.35, 0.7);
        Assert.True(inputs.Text.Words!.requires_grad && inputs.Video.Pooled.requires_grad);
    }

    [Fact]
    public void ProfilerMeasuresAStep()
    {
        using var inputs = ProfileInputs.Create(clips: 16, dim: 8, wordSlots: 6, frameSlots: 5);
        using var loss = new NortonLoss();
        var runs = LossProfiler.Run(loss, inputs, threads: 1, warmup: 1, repeats: 2);
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r =>
        {
            Assert.True(r.ForwardSeconds > 0 && r.BackwardSeconds > 0 && r.CpuSeconds >= 0);
            Assert.True(double.IsFinite(r.Loss));
            if (OperatingSystem.IsLinux()) Assert.True(r.PeakProcessBytes > 0);
        });
        Assert.Equal(runs[0].Loss, runs[1].Loss);
        Assert.NotNull(inputs.Text.Words!.grad);
    }
}
