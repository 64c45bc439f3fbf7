using Norton.Core.Features;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static Norton.Losses.Tests.TestData;

namespace Norton.Losses.Tests;

/// <summary>Bad input and bad options give a clear exception naming the argument, never NaN or a crash.</summary>
public class InputValidationTests
{
    private static NortonLoss Loss(NortonLossOptions? o = null) => new(o ?? new NortonLossOptions { Length = 4 });

    private static ArgumentException Throws(Action a)
    {
        var e = Assert.ThrowsAny<ArgumentException>(a);
        Assert.False(string.IsNullOrWhiteSpace(e.ParamName), $"no parameter name in: {e.Message}");
        return e;
    }

    [Fact]
    public void ClipCountNotAMultipleOfLength()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch(n: 10);
        var e = Throws(() => Loss().forward(v, t));
        Assert.Contains("N = 10", e.Message);
        Assert.Contains("Length = 4", e.Message);
    }

    [Fact]
    public void DifferentClipCountsOrFeatureSizes()
    {
        using var scope = NewDisposeScope();
        var (v, _) = Batch(n: 8);
        var (_, t12) = Batch(n: 12);
        Assert.Contains("same N and D", Throws(() => Loss().forward(v, t12)).Message);
        var (_, tD) = Batch(n: 8, d: 7);
        Assert.Contains("same N and D", Throws(() => Loss().forward(v, tD)).Message);
    }

    [Fact]
    public void MismatchedShapesAndDtypesAtConstruction()
    {
        using var scope = NewDisposeScope();
        var pooled = randn(8, 6);
        Assert.Contains("(N, L, D)", Throws(() => new VideoFeatures(pooled, randn(8, 4, 5))).Message);
        Assert.Contains("(N, L, D)", Throws(() => new TextFeatures(pooled, randn(7, 4, 6))).Message);
        Assert.Contains("dtype", Throws(() => new TextFeatures(pooled, randn(8, 4, 6, dtype: ScalarType.Float64))).Message);
        Assert.Contains("(N, L)", Throws(() => new VideoFeatures(pooled, randn(8, 4, 6), ones(8, 5, dtype: ScalarType.Bool))).Message);
        Assert.Contains("(N, D)", Throws(() => new VideoFeatures(randn(8))).Message);
        Assert.Contains("floating-point", Throws(() => new TextFeatures(ones(8, 6, dtype: ScalarType.Int64))).Message);
        Assert.Contains("without", Throws(() => new TextFeatures(pooled, null, ones(8, 4, dtype: ScalarType.Bool))).Message);
    }

    [Fact]
    public void RowWithoutValidSlot()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch();
        t.Mask![3] = zeros(5, dtype: ScalarType.Bool);
        var e = Throws(() => Loss().forward(v, t));
        Assert.Contains("text.Mask row 3", e.Message);
        var (v2, t2) = Batch();
        v2.Mask![6] = zeros(4, dtype: ScalarType.Bool);
        Assert.Contains("video.Mask row 6", Throws(() => Loss().forward(v2, t2)).Message);
    }

    [Fact]
    public void NumericMasksMustHoldZeroOrOne()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch();
        var numeric = new TextFeatures(t.Pooled, t.Words, t.Mask!.to(ScalarType.Float32));
        using (var ok = Loss().forward(v, numeric))
            Assert.True(double.IsFinite(ok.Loss.item<double>()));
        var bad = t.Mask!.to(ScalarType.Int64);
        bad[1, 1] = tensor(2L);
        Assert.Contains("0 and 1", Throws(() => Loss().forward(v, new TextFeatures(t.Pooled, t.Words, bad))).Message);
    }

    [Fact]
    public void PromptRankOutOfRange()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch(n: 2);
        // int(0.3 * 2) = 0: the original's kthvalue raises.
        var e = Throws(() => Loss(new NortonLossOptions { Length = 2 }).forward(v, t));
        Assert.Contains("int(0.3 * 2) = 0", e.Message);
    }

    [Theory]
    [InlineData("pooled_video", double.NaN)]
    [InlineData("frames", double.PositiveInfinity)]
    [InlineData("words", double.NegativeInfinity)]
    [InlineData("pooled_text", double.NaN)]
    [InlineData("frames", double.NaN)]
    [InlineData("words", double.NaN)]
    [InlineData("words", double.PositiveInfinity)]
    public void NonFiniteFeatures(string which, double value)
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch();
        var target = which switch
        {
            "pooled_video" => v.Pooled,
            "pooled_text" => t.Pooled,
            "frames" => v.Frames!,
            _ => t.Words!,
        };
        target.view(-1)[7] = tensor(value, dtype: target.dtype);
        var e = Throws(() => Loss().forward(v, t));
        Assert.Contains("must be finite", e.Message);
    }

    [Fact]
    public void ZeroFeatureAtAValidSlotIsRejectedAtAPaddedSlotIgnored()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch();
        // Model layout: slot 0 is [CLS] (masked) - an all-zero feature there is harmless.
        t.Words![2, 0] = zeros(6, dtype: ScalarType.Float64);
        using (var ok = Loss().forward(v, t))
            Assert.True(double.IsFinite(ok.Loss.item<double>()));
        t.Words![2, 1] = zeros(6, dtype: ScalarType.Float64);
        Assert.Contains("text.Words[2, 1]", Throws(() => Loss().forward(v, t)).Message);
        var (v2, t2) = Batch();
        v2.Pooled[5] = zeros(6, dtype: ScalarType.Float64);
        Assert.Contains("video.Pooled row 5", Throws(() => Loss().forward(v2, t2)).Message);
    }

    [Fact]
    public void SequenceBranchNeedsTokenFeatures()
    {
        using var scope = NewDisposeScope();
        var (v, t) = Batch();
        Assert.Contains("video.Frames", Throws(() => Loss().forward(new VideoFeatures(v.Pooled), t)).Message);
        // Without the branch the pooled features suffice.
        using var clipOnly = Loss(new NortonLossOptions { Length = 4, SequenceContrastWeight = null })
            .forward(new VideoFeatures(v.Pooled), new TextFeatures(t.Pooled));
        Assert.Null(clipOnly.VideoParagraph);
    }

    public static TheoryData<string, Func<NortonLossOptions>> BadOptions => new()
    {
        { "Beta", () => new NortonLossOptions { Beta = 1.5 } },
        { "AlphaLse", () => new NortonLossOptions { AlphaLse = 0 } },
        { "FusionWeight", () => new NortonLossOptions { FusionWeight = double.NaN } },
        { "Length", () => new NortonLossOptions { Length = 0 } },
        { "PromptRatio", () => new NortonLossOptions { PromptRatio = 0 } },
        { "PromptRatio", () => new NortonLossOptions { PromptRatio = 1.5 } },
        { "Scale", () => new NortonLossOptions { Scale = -0.1 } },
        { "SinkhornIterations", () => new NortonLossOptions { SinkhornIterations = -1 } },
        { "SequenceSinkhornIterations", () => new NortonLossOptions { SequenceSinkhornIterations = -5 } },
        { "SequenceContrastWeight", () => new NortonLossOptions { SequenceContrastWeight = double.PositiveInfinity } },
        { "LogitScale", () => new NortonLossOptions { LogitScale = double.NaN } },
        { "FineGrainedMemoryBudgetBytes", () => new NortonLossOptions { FineGrainedMemoryBudgetBytes = 10 } },
        { "Padding", () => new NortonLossOptions { Padding = (FineGrainedPadding)7 } },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void InvalidOptionValues(string name, Func<NortonLossOptions> make)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => make());
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void InconsistentOptionsFailOnConstruction()
    {
        var e = Throws(() => new NortonLoss(new NortonLossOptions { LogitScaleMin = 2, LogitScaleMax = 1 }));
        Assert.Contains("LogitScaleMin", e.Message);
        // Clip OT off with the video-paragraph branch on: the original crashes (range(None)).
        e = Throws(() => new NortonLoss(new NortonLossOptions { SinkhornIterations = null }));
        Assert.Contains("SequenceSinkhornIterations", e.Message);
    }
}
