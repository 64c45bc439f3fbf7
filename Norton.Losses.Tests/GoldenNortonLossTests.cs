using Norton.Core.Features;
using System.Text.Json;
using Norton.TestSupport;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Losses.Tests;

/// <summary>Every <c>norton_loss</c> case of testdata/golden and of each NORTON_GOLDEN_DIRS folder.</summary>
public class GoldenNortonLossTests
{
    public static TheoryData<CaseRef> Cases => GoldenCase.Paths("norton_loss");

    /// <summary>The float32 cases that also carry float64 expectations from the same inputs.</summary>
    public static TheoryData<CaseRef> Float32Cases => new(GoldenCase.All("norton_loss").Where(r =>
    {
        var c = GoldenCase.Load(r);
        return c.DType == ScalarType.Float32 && c.Has("expected_float64_from_same_inputs");
    }));

    /// <summary>The case's own dtype against <c>expected</c> (FORMAT.md tolerance rule).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesExpected(CaseRef path)
    {
        var c = GoldenCase.Load(path);
        CompareAll(c, c.Get("expected"), c.DType, c.DType);
    }

    /// <summary>float32 cases: the same inputs in float64 against <c>expected_float64_from_same_inputs</c>.</summary>
    [Theory]
    [MemberData(nameof(Float32Cases))]
    public void Float32CasesMatchTheirFloat64Expectation(CaseRef path)
    {
        var c = GoldenCase.Load(path);
        CompareAll(c, c.Get("expected_float64_from_same_inputs"), ScalarType.Float64, ScalarType.Float64);
    }

    [Fact]
    public void AllVisibleLossCasesAreFound()
    {
        int count = Cases.Count<object[]>();
        Assert.True(count >= 8, $"found {count} norton_loss cases");
    }

    internal static NortonLossOptions OptionsOf(GoldenCase c)
    {
        var h = c.Get("hparams");
        int? Int(string k) => h.GetProperty(k).ValueKind == JsonValueKind.Null ? null : h.GetProperty(k).GetInt32();
        double? Num(string k) => h.GetProperty(k).ValueKind == JsonValueKind.Null ? null : h.GetProperty(k).GetDouble();
        bool mimic = h.TryGetProperty("mimic_fp32_constants", out var m) && m.GetBoolean();
        return new NortonLossOptions
        {
            SinkhornIterations = Int("sinkhorn_iterations"),
            SequenceSinkhornIterations = Int("seq_sinkhorn_iterations"),
            Beta = Num("beta")!.Value,
            AlphaLse = Num("alpha_lse")!.Value,
            FusionWeight = Num("fusion_weight")!.Value,
            Length = Int("length")!.Value,
            PromptRatio = Num("prompt_ratio"),
            Scale = Num("scale")!.Value,
            SequenceContrastWeight = Num("sequence_contrast_weight"),
            LogitScale = Num("logit_scale")!.Value,
            LogitScaleMin = Num("logit_scale_min")!.Value,
            LogitScaleMax = Num("logit_scale_max")!.Value,
            MimicFloat32Constants = mimic,
        };
    }

    internal static void CompareAll(GoldenCase c, JsonElement expected, ScalarType inputType, ScalarType tolType)
    {
        using var scope = NewDisposeScope();
        Tensor In(string key) => c.Tensor("inputs", key).to(inputType).requires_grad_(!key.EndsWith("mask"));
        var pv = In("pooled_video");
        var pt = In("pooled_text");
        var vo = In("video_outputs");
        var to = In("text_outputs");
        var vm = c.Tensor("inputs", "video_mask");
        var tm = c.Tensor("inputs", "text_mask");

        using var loss = new NortonLoss(OptionsOf(c));
        using var output = loss.forward(new VideoFeatures(pv, vo, vm), new TextFeatures(pt, to, tm), diagnostics: true);
        output.Loss.backward();
        var clip = output.ClipCaption;
        var seq = output.VideoParagraph;
        Assert.Equal(inputType, output.Loss.dtype);

        var produced = new Dictionary<string, Func<Tensor?>>
        {
            ["loss"] = () => output.Loss,
            ["clip_loss"] = () => clip.Loss,
            ["clip_loss_v2t"] = () => clip.VideoToText,
            ["clip_loss_t2v"] = () => clip.TextToVideo,
            ["clip_logits"] = () => clip.Logits,
            ["clip_plan"] = () => clip.Plan,
            ["seq_loss"] = () => seq?.Loss,
            ["seq_loss_t2v"] = () => seq?.TextToVideo,
            ["seq_loss_v2t"] = () => seq?.VideoToText,
            ["seq_loss_weighted"] = () => output.WeightedVideoParagraphLoss,
            ["prompt_value"] = () => seq?.PromptValue,
            ["temperature"] = () => seq?.Temperature,
            ["coarse_similarity"] = () => seq?.Coarse,
            ["fine_t2v"] = () => seq?.FineTextToVideo,
            ["fine_v2t"] = () => seq?.FineVideoToText,
            ["fused_similarity"] = () => seq?.Fused,
            ["blocks"] = () => seq?.Blocks,
            ["seq_log_plan_augmented"] = () => seq?.LogPlanAugmented,
            ["seq_plan"] = () => seq?.Plan,
            ["paragraph_logits"] = () => seq?.ParagraphLogits,
        };
        var inputsByGrad = new Dictionary<string, Tensor> { ["pooled_video"] = pv, ["pooled_text"] = pt, ["video_outputs"] = vo, ["text_outputs"] = to };
        var compared = new List<string>();
        foreach (var entry in expected.EnumerateObject())
        {
            string key = entry.Name, what = $"{c.Name} ({inputType}): {key}";
            if (key == "prompt_k")
            {
                Assert.Equal(entry.Value.GetInt64(), seq?.PromptK);
            }
            else if (key == "grads")
            {
                foreach (var g in entry.Value.EnumerateObject())
                {
                    var input = inputsByGrad[g.Name];
                    // An input the loss does not use (the sequence branch off) has no gradient: it is zero.
                    var grad = input.grad ?? zeros_like(input);
                    Tolerance.AssertGolden(GoldenCase.ReadTensor(g.Value), grad, tolType, $"{what}.{g.Name}");
                    compared.Add($"grad_{g.Name}");
                }
                continue;
            }
            else if (produced.TryGetValue(key, out var get))
            {
                var actual = get();
                Assert.True(actual is not null, $"{what}: expected but not produced");
                if (entry.Value.ValueKind == JsonValueKind.Number)
                {
                    Assert.Equal(0, actual!.dim());
                    Tolerance.AssertGolden(entry.Value.GetDouble(), actual.to(float64).item<double>(), tolType, what);
                }
                else
                {
                    Tolerance.AssertGolden(GoldenCase.ReadTensor(entry.Value), actual!, tolType, what);
                }
            }
            else
            {
                continue;   // a key this port cannot produce (none in FORMAT.md today)
            }
            compared.Add(key);
        }
        foreach (string must in new[] { "loss", "clip_loss", "grad_pooled_video", "grad_pooled_text" })
            Assert.Contains(must, compared);
    }
}
