using Norton.Models.Checkpoints;
using Norton.Models.VideoClip;
using Norton.TestSupport;
using Xunit;
using static Norton.Models.Tests.VideoClip.VideoClipFixtures;
using static TorchSharp.torch;

namespace Norton.Models.Tests.VideoClip;

/// <summary>The two-tower model end to end, on the config-A fixtures (whose caps[:, :2]/cmasks[:, :2] agree).</summary>
public class VideoTextModelTests
{
    private static string Folder(string kind, string name) => Path.Combine(TestEnvironment.SharedDirectory, "fixtures", kind, name);

    private static VideoTextModel LoadedModel(Fixture video, Fixture text)
    {
        var model = new VideoTextModel(FixtureConfigs.ReducedA);
        model.eval();
        CheckpointLoader.Load(model.VideoEncoder, video.WeightsPath, new CheckpointLoadOptions(Prefix: "video_encoder."));
        CheckpointLoader.Load(model.TextEncoder, text.WeightsPath, new CheckpointLoadOptions(Prefix: "text_encoder."));
        return model;
    }

    [Fact]
    public void ForwardGivesBothFixturesEncodings()
    {
        using var video = Fixture.Load(Folder("videoclip-video", "vcvideo_A_seed100_B4_Tv8"));
        using var text = Fixture.Load(Folder("videoclip-text", "vctext_A_seed110_B4_Lc14"));
        using var model = LoadedModel(video, text);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // The video tower reads only caps[:, :2] and cmasks[:, :2], which are the same in both fixtures.
        AssertEqual(video["caps"].narrow(1, 0, 2), text["caps"].narrow(1, 0, 2), "caps[:, :2]");
        AssertEqual(video["cmasks"].narrow(1, 0, 2), text["cmasks"].narrow(1, 0, 2), "cmasks[:, :2]");

        using var output = model.forward(text["caps"], text["cmasks"], video["vfeats"], video["vmasks"]);
        AssertClose(video["pooled_video"], output.Video.Pooled, "pooled_video");
        AssertClose(video["video_outputs"], output.Video.Frames!, "video_outputs");
        AssertEqual(video["video_mask_outputs"], output.Video.Mask!, "video_mask_outputs");
        AssertClose(text["pooled_text"], output.Text.Pooled, "pooled_text");
        AssertClose(text["text_outputs"], output.Text.Words!, "text_outputs");
        AssertEqual(text["text_mask_outputs"], output.Text.Mask!, "text_mask_outputs");
        Assert.Equal(ScalarType.Bool, output.Video.Mask!.dtype);
    }

    /// <summary>Dropout 0.1 is active in train mode (Norton post-trains with it on) and off in eval mode.</summary>
    [Fact]
    public void DropoutActsOnlyInTrainMode()
    {
        using var model = new VideoTextModel(FixtureConfigs.ReducedA);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var caps = tensor(new long[] { 101, 102, 7, 8, 102, 0 }).reshape(1, 6);
        var cmasks = caps.ne(0);
        model.eval();
        var a = model.TextTower.forward(caps, cmasks).Pooled;
        var b = model.TextTower.forward(caps, cmasks).Pooled;
        Assert.True(a.eq(b).all().item<bool>());
        model.train();
        manual_seed(1);
        var c = model.TextTower.forward(caps, cmasks).Pooled;
        var d = model.TextTower.forward(caps, cmasks).Pooled;
        Assert.False(c.eq(d).all().item<bool>());
    }

    /// <summary>After layernorm-only, a backward pass reaches the LayerNorm γ/β and nothing else.</summary>
    [Fact]
    public void LayerNormOnlyTrainsOnlyLayerNorms()
    {
        using var model = new VideoTextModel(FixtureConfigs.ReducedA);
        long trainable = model.UseLayerNormOnly();
        // Config A: 2 + 2·2 video LayerNorms + 1 + 2·2 text LayerNorms = 11 LayerNorms of width 64, γ and β each.
        Assert.Equal(11L * 2 * 64, trainable);

        using var scope = NewDisposeScope();
        var caps = tensor(new long[] { 101, 102, 7, 8, 102, 0, 101, 102, 9, 102, 0, 0 }).reshape(2, 6);
        var output = model.forward(caps, caps.ne(0), randn(2, 8, 512), ones(2, 8, ScalarType.Bool));
        (output.Video.Pooled * output.Text.Pooled).sum().backward();
        foreach (var (name, p) in model.named_parameters())
        {
            bool isLayerNorm = name.Split('.')[^2] == "LayerNorm";
            Assert.Equal(isLayerNorm, p.requires_grad);
            if (isLayerNorm) Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, $"{name} got no gradient");
            else Assert.True(p.grad is null, $"{name} is frozen but got a gradient");
        }
    }

    /// <summary>Every temporary is freed by the methods' dispose scopes: once the caller disposes the results, no
    /// tensor created by the forward pass is still alive.</summary>
    [Fact]
    public void ForwardLeavesNoLiveTemporaries()
    {
        using var model = new VideoTextModel(FixtureConfigs.ReducedA);
        model.eval();
        using var caps = tensor(new long[] { 101, 102, 7, 8, 102, 0, 101, 102, 9, 102, 0, 0 }).reshape(2, 6);
        using var cmasks = caps.ne(0);
        using var vfeats = randn(2, 8, 512);
        using var vmasks = ones(2, 8, ScalarType.Bool);
        using (model.forward(caps, cmasks, vfeats, vmasks)) { } // warm-up: lazily created tensors, if any

        long before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (no_grad())
        {
            using (var output = model.forward(caps, cmasks, vfeats, vmasks))
                Assert.Equal(2, output.Video.Pooled.shape[0]);
            using (var encoded = model.VideoEncoder.forward(vfeats, vmasks, caps, cmasks, diagnostics: true))
                Assert.Equal(3, encoded.HiddenStates.Count);
        }
        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
