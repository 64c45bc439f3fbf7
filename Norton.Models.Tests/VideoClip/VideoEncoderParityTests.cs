using Norton.Models.VideoClip;
using Norton.TestSupport;
using TorchSharp;
using Xunit;
using static Norton.Models.Tests.VideoClip.VideoClipFixtures;
using static TorchSharp.torch;

namespace Norton.Models.Tests.VideoClip;

/// <summary>The video tower against every <c>videoclip-video</c> fixture (outputs, masks and intermediates).</summary>
public class VideoEncoderParityTests
{
    public static TheoryData<CaseRef> Fixtures => Fixture.Folders("videoclip-video");

    [Fact]
    public void FixturesAreFound() => Assert.NotEmpty(Fixtures);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void OutputsMatch(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        using var model = Model(fx);
        var report = LoadTower(model, fx, "video_encoder.");
        Assert.Empty(report.Skipped);
        Assert.Equal(model.VideoEncoder.state_dict().Count, report.Loaded.Count);

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var video = model.VideoTower.forward(fx["vfeats"], fx["vmasks"], fx["caps"], fx["cmasks"]);
        AssertClose(fx["video_outputs"], video.Frames!, $"{fx.Name} video_outputs");
        AssertClose(fx["pooled_video"], video.Pooled, $"{fx.Name} pooled_video");
        AssertClose(fx["output"], video.Pooled, $"{fx.Name} output");
        AssertEqual(fx["video_mask_outputs"], video.Mask!, $"{fx.Name} video_mask_outputs");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void IntermediatesMatch(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        using var model = Model(fx);
        LoadTower(model, fx, "video_encoder.");

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var mask = MMBertForEncoder.BuildAttentionMask(fx["vmasks"], fx["cmasks"]);
        AssertEqual(fx["attention_mask"], mask, $"{fx.Name} attention_mask");
        AssertEqual(fx["extended_attention_mask"], Bert.AttentionMask.Extend(mask, float32), $"{fx.Name} extended_attention_mask");

        var expectedPositions = fx["position_ids"];
        var positions = MMBertModel.PositionIds(fx["vfeats"].shape[1], model.Config.MaxVideoLen).expand_as(expectedPositions);
        AssertEqual(expectedPositions, positions, $"{fx.Name} position_ids");

        AssertClose(fx["video_tokens"], model.VideoEncoder.VideoMlp.forward(fx["vfeats"]), $"{fx.Name} video_tokens");

        using var encoded = model.VideoEncoder.forward(fx["vfeats"], fx["vmasks"], fx["caps"], fx["cmasks"], diagnostics: true);
        int layers = model.Config.Video.NumHiddenLayers;
        Assert.Equal(layers + 1, encoded.HiddenStates.Count);
        AssertClose(fx["embedding_output"], encoded.HiddenStates[0], $"{fx.Name} embedding_output");
        for (int i = 1; i <= layers; i++)
            AssertClose(fx[$"hidden_states.{i}"], encoded.HiddenStates[i], $"{fx.Name} hidden_states.{i}");
        AssertClose(fx["video_outputs"], encoded.LastHiddenState, $"{fx.Name} last_hidden_state");
        AssertClose(fx["pooler_output"], encoded.PoolerOutput, $"{fx.Name} pooler_output");
    }

    /// <summary>The same weights in float64 reproduce the fixture's float64 run far below the float32 tolerance.</summary>
    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Float64OutputsMatch(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        using var model = Model(fx);
        LoadTower(model, fx, "video_encoder.");
        model.to(float64);

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var video = model.VideoTower.forward(fx["vfeats"].to(float64), fx["vmasks"], fx["caps"], fx["cmasks"]);
        Assert.Equal(ScalarType.Float64, video.Frames!.dtype);
        Tolerance.AssertClose(fx["video_outputs_float64"], video.Frames!, 1e-9, 0, 1e-9, $"{fx.Name} video_outputs_float64");
        Tolerance.AssertClose(fx["pooled_video_float64"], video.Pooled, 1e-9, 0, 1e-9, $"{fx.Name} pooled_video_float64");
    }
}
