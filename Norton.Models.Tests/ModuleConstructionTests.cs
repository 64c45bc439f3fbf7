using Norton.Models.S3D;
using Norton.Models.VideoClip;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests;

/// <summary>
/// The modules' constructors take <c>device</c> and <c>dtype</c> as TorchSharp's own modules do (issue 11, item 4): a
/// module built in float64 holds float64 parameters and computes what a float32-built module converted with
/// <c>.to(float64)</c> computes from the same weights; the towers of <see cref="VideoTextModel"/> add no state-dict keys.
/// </summary>
public class ModuleConstructionTests
{
    /// <summary>Every floating parameter and buffer has <paramref name="dtype"/>; integer buffers (position ids) stay int64.</summary>
    private static void AssertFloatingDType(nn.Module module, ScalarType dtype)
    {
        foreach (var (name, p) in module.named_parameters())
            Assert.True(p.dtype == dtype, $"{name}: {p.dtype}, expected {dtype}");
        foreach (var (name, b) in module.named_buffers())
            if (b.is_floating_point()) Assert.True(b.dtype == dtype, $"{name}: {b.dtype}, expected {dtype}");
    }

    /// <summary>Copies <paramref name="from"/>'s state into <paramref name="to"/> (same keys, cast to <paramref name="to"/>'s dtypes).</summary>
    private static void CopyState(nn.Module from, nn.Module to)
    {
        var source = from.state_dict();
        var target = to.state_dict();
        Assert.Equal(source.Keys.OrderBy(k => k, StringComparer.Ordinal), target.Keys.OrderBy(k => k, StringComparer.Ordinal));
        using var _ = no_grad();
        foreach (var (key, value) in target) value.copy_(source[key]);
    }

    [Fact]
    public void VideoTextModelBuiltInFloat64MatchesFloat32BuiltThenConverted()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var converted = new VideoTextModel(FixtureConfigs.ReducedA);
        converted.to(float64);
        using var built = new VideoTextModel(FixtureConfigs.ReducedA, dtype: float64);
        AssertFloatingDType(built, float64);
        CopyState(converted, built);
        converted.eval();
        built.eval();
        using var noGrad = no_grad();

        var caps = tensor(new long[] { 101, 102, 7, 8, 102, 0, 101, 102, 9, 102, 0, 0 }).reshape(2, 6);
        var cmasks = caps.ne(0);
        var vfeats = randn(2, 5, 512, float64);
        var vmasks = tensor(new[] { true, true, true, false, false, true, true, true, true, true }).reshape(2, 5);
        using var a = converted.forward(caps, cmasks, vfeats, vmasks);
        using var b = built.forward(caps, cmasks, vfeats, vmasks);
        Assert.Equal(float64, b.Video.Pooled.dtype);
        Assert.True(a.Video.Frames!.allclose(b.Video.Frames!, rtol: 1e-12, atol: 1e-12), "video frames");
        Assert.True(a.Video.Pooled.allclose(b.Video.Pooled, rtol: 1e-12, atol: 1e-12), "pooled video");
        Assert.True(a.Text.Words!.allclose(b.Text.Words!, rtol: 1e-12, atol: 1e-12), "text words");
        Assert.True(a.Text.Pooled.allclose(b.Text.Pooled, rtol: 1e-12, atol: 1e-12), "pooled text");
    }

    [Fact]
    public void S3DGBuiltInFloat64MatchesFloat32BuiltThenConverted()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var converted = new S3DG(numClasses: 16);
        converted.to(float64);
        using var built = new S3DG(numClasses: 16, dtype: float64);
        AssertFloatingDType(built, float64);
        CopyState(converted, built);
        converted.eval();
        built.eval();
        using var noGrad = no_grad();
        var x = rand(new long[] { 1, 3, 4, 8, 8 }, float64);
        using var a = converted.forward(x);
        using var b = built.forward(x);
        Assert.Equal(float64, b.VideoEmbedding.dtype);
        Assert.True(a.VideoEmbedding.allclose(b.VideoEmbedding, rtol: 1e-12, atol: 1e-12), "video embedding");
        Assert.True(a.Mixed5c.allclose(b.Mixed5c, rtol: 1e-12, atol: 1e-12), "mixed_5c");
    }

    [Fact]
    public void SentenceEmbeddingAndTowersTakeDType()
    {
        using var text = new SentenceEmbedding(numEmbeddings: 10, embeddingDim: 4, wordEmbeddingDim: 3, outputDim: 5, dtype: float64);
        AssertFloatingDType(text, float64);
        using var bert = new Norton.Models.Bert.BertModel(FixtureConfigs.ReducedA.Text, dtype: float64);
        AssertFloatingDType(bert, float64);
        using var video = new MMBertForEncoder(FixtureConfigs.ReducedA, dtype: float64);
        AssertFloatingDType(video, float64);
        Assert.Equal(int64, bert.state_dict()["embeddings.position_ids"].dtype);
    }

    [Fact]
    public void MetaDeviceBuildsWithoutStorage()
    {
        using var model = new VideoTextModel(FixtureConfigs.ReducedA, device: META, dtype: float64);
        Assert.All(model.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));
        AssertFloatingDType(model, float64);
    }

    [Fact]
    public void TowersShareTheEncodersAndAddNoKeys()
    {
        using var model = new VideoTextModel(FixtureConfigs.ReducedA);
        var keys = model.state_dict().Keys.ToList();
        Assert.All(keys, k => Assert.True(k.StartsWith("video_encoder.", StringComparison.Ordinal) || k.StartsWith("text_encoder.", StringComparison.Ordinal), k));
        Assert.Equal(keys.Where(k => k.StartsWith("video_encoder.", StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal),
            model.VideoTower.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(keys.Where(k => k.StartsWith("text_encoder.", StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal),
            model.TextTower.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Same(model.VideoEncoder, model.VideoTower.Encoder);
        Assert.Same(model.TextEncoder, model.TextTower.Encoder);
        // The model's train/eval switch reaches the towers' modules (they are the same objects).
        model.eval();
        Assert.False(model.VideoTower.Encoder.training);
        Assert.False(model.TextTower.Encoder.training);
    }
}
