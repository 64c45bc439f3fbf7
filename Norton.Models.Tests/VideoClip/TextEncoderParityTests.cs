using Norton.TestSupport;
using TorchSharp;
using Xunit;
using static Norton.Models.Tests.VideoClip.VideoClipFixtures;
using static TorchSharp.torch;

namespace Norton.Models.Tests.VideoClip;

/// <summary>The text tower against every <c>videoclip-text</c> fixture (outputs, masks and intermediates).</summary>
public class TextEncoderParityTests
{
    public static TheoryData<CaseRef> Fixtures => Fixture.Folders("videoclip-text");

    [Fact]
    public void FixturesAreFound() => Assert.NotEmpty(Fixtures);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void OutputsMatch(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        using var model = Model(fx);
        var report = LoadTower(model, fx, "text_encoder.");
        Assert.Empty(report.Skipped);
        Assert.Equal(model.TextEncoder.state_dict().Count, report.Loaded.Count);

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var text = model.TextTower.forward(fx["caps"], fx["cmasks"]);
        AssertClose(fx["text_outputs"], text.Words!, $"{fx.Name} text_outputs");
        AssertClose(fx["pooled_text"], text.Pooled, $"{fx.Name} pooled_text");
        AssertClose(fx["output"], text.Pooled, $"{fx.Name} output");
        AssertEqual(fx["text_mask_outputs"], text.Mask!, $"{fx.Name} text_mask_outputs");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void IntermediatesMatch(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        using var model = Model(fx);
        LoadTower(model, fx, "text_encoder.");

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // What BERT receives: caps and cmasks without the video [SEP] at index 1.
        var caps = fx["caps"];
        var cmasks = fx["cmasks"];
        long lc = caps.shape[1];
        var ids = cat([caps.narrow(1, 0, 1), caps.narrow(1, 2, lc - 2)], 1);
        var attention = cat([cmasks.narrow(1, 0, 1), cmasks.narrow(1, 2, lc - 2)], 1);
        AssertEqual(fx["input_ids"], ids, $"{fx.Name} input_ids");
        AssertEqual(fx["attention_mask"].to(ScalarType.Bool), attention, $"{fx.Name} attention_mask");
        AssertEqual(fx["extended_attention_mask"], Bert.AttentionMask.Extend(fx["attention_mask"], float32), $"{fx.Name} extended_attention_mask");

        using var encoded = model.TextEncoder.forward(fx["input_ids"], fx["attention_mask"], diagnostics: true);
        int layers = model.Config.Text.NumHiddenLayers;
        Assert.Equal(layers + 1, encoded.HiddenStates.Count);
        AssertClose(fx["embedding_output"], encoded.HiddenStates[0], $"{fx.Name} embedding_output");
        for (int i = 1; i <= layers; i++)
            AssertClose(fx[$"hidden_states.{i}"], encoded.HiddenStates[i], $"{fx.Name} hidden_states.{i}");
        AssertClose(fx["text_outputs"], encoded.LastHiddenState, $"{fx.Name} last_hidden_state");
        AssertClose(fx["pooler_output"], encoded.PoolerOutput, $"{fx.Name} pooler_output");
    }

    /// <summary>The same weights in float64 reproduce the fixture's float64 run far below the float32 tolerance.</summary>
    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Float64OutputsMatch(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        using var model = Model(fx);
        LoadTower(model, fx, "text_encoder.");
        model.to(float64);

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var text = model.TextTower.forward(fx["caps"], fx["cmasks"]);
        Assert.Equal(ScalarType.Float64, text.Words!.dtype);
        Tolerance.AssertClose(fx["text_outputs_float64"], text.Words!, 1e-9, 0, 1e-9, $"{fx.Name} text_outputs_float64");
        Tolerance.AssertClose(fx["pooled_text_float64"], text.Pooled, 1e-9, 0, 1e-9, $"{fx.Name} pooled_text_float64");
    }
}
