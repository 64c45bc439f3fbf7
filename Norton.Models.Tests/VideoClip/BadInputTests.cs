using Norton.Models.Bert;
using Norton.Models.VideoClip;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.VideoClip;

/// <summary>Wrong inputs fail with an ArgumentException that names the argument, the expectation and what came.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly VideoTextModel _model = new(FixtureConfigs.ReducedA);
    private readonly TorchSharp.DisposeScope _scope = NewDisposeScope();

    public void Dispose()
    {
        _scope.Dispose();
        _model.Dispose();
    }

    private static Tensor Caps(long lc = 6) => cat([tensor(new long[] { 101, 102, 5, 102 }), zeros(lc - 4, int64)]).expand(2, lc).contiguous();

    private static Tensor Masks(Tensor caps) => caps.ne(0);

    private static ArgumentException Throws(Action action, string param, params string[] parts)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Equal(param, ex.ParamName);
        foreach (string part in parts) Assert.Contains(part, ex.Message);
        return ex;
    }

    [Fact]
    public void WrongFeatureWidth() =>
        Throws(() => _model.VideoTower.forward(zeros(2, 8, 500), ones(2, 8, ScalarType.Bool), Caps(), Masks(Caps())),
            "vfeats", "feature width 512", "[2, 8, 500]");

    [Fact]
    public void FeaturesOfWrongRank() =>
        Throws(() => _model.VideoTower.forward(zeros(16, 512), ones(2, 8, ScalarType.Bool), Caps(), Masks(Caps())),
            "vfeats", "(B, T, 512)", "[16, 512]");

    [Fact]
    public void IntegerFeatures() =>
        Throws(() => _model.VideoTower.forward(zeros(2, 8, 512, int64), ones(2, 8, ScalarType.Bool), Caps(), Masks(Caps())),
            "vfeats", "floating-point", "Int64");

    [Fact]
    public void MoreVideoSlotsThanMaxVideoLen() =>
        Throws(() => _model.VideoTower.forward(zeros(2, 9, 512), ones(2, 9, ScalarType.Bool), Caps(), Masks(Caps())),
            "vfeats", "maxVideoLen = 8", "9 video slots");

    [Fact]
    public void VideoMaskOfWrongShape() =>
        Throws(() => _model.VideoTower.forward(zeros(2, 8, 512), ones(2, 7, ScalarType.Bool), Caps(), Masks(Caps())),
            "vmasks", "[2, 8]", "[2, 7]");

    [Fact]
    public void BatchSizesDiffer() =>
        Throws(() => _model.VideoTower.forward(zeros(3, 8, 512), ones(3, 8, ScalarType.Bool), Caps(), Masks(Caps())),
            "caps", "batch size", "(3)", "has 2");

    [Theory]
    [InlineData(1000L, "[0, 1000]")]
    [InlineData(-1L, "[-1, 102]")]
    public void TokenIdsOutsideTheVocabulary(long badId, string range)
    {
        var caps = Caps();
        caps[1, 2] = tensor(badId);
        Throws(() => _model.TextTower.forward(caps, Masks(caps)), "caps", "[0, 1000)", range);
        Throws(() => _model.VideoTower.forward(zeros(2, 8, 512), ones(2, 8, ScalarType.Bool), caps, Masks(caps)), "caps", "[0, 1000)", range);
    }

    [Fact]
    public void FloatTokenIds() =>
        Throws(() => _model.TextTower.forward(Caps().to(float32), Masks(Caps())), "caps", "int64", "Float32");

    [Fact]
    public void CaptionLongerThanThePositionTable()
    {
        var caps = Caps(42); // the text tower sees Lc−1 = 41 > 40 positions
        Throws(() => _model.TextTower.forward(caps, Masks(caps)), "caps", "41", "40 rows");
    }

    [Fact]
    public void BertInputLongerThanThePositionTable()
    {
        var ids = ones(1, 41, int64);
        Throws(() => _model.TextEncoder.forward(ids, ones(1, 41, ScalarType.Bool)), "inputIds", "41 positions", "40 rows");
    }

    [Fact]
    public void CaptionMaskOfWrongShapeOrDtype()
    {
        var caps = Caps();
        Throws(() => _model.TextTower.forward(caps, ones(2, 5, ScalarType.Bool)), "cmasks", "[2, 6]", "[2, 5]");
        Throws(() => _model.TextTower.forward(caps, ones(2, 6, float32)), "cmasks", "bool", "Float32");
    }

    [Fact]
    public void CaptionWithNothingToPool()
    {
        var caps = Caps();
        var cmasks = Masks(caps);
        cmasks[1, TensorIndex.Slice(2)] = tensor(false);
        Throws(() => _model.TextTower.forward(caps, cmasks), "cmasks", "row 1", "divide by zero");
    }

    [Fact]
    public void CaptionTooShort() =>
        Throws(() => _model.TextTower.forward(tensor(new long[] { 101, 102 }).reshape(1, 2), ones(1, 2, ScalarType.Bool)), "caps", "Lc ≥ 3", "[1, 2]");

    [Fact]
    public void InvalidConfigurations()
    {
        Assert.Throws<ArgumentException>(() => new BertConfig(1000, 64, 2, 5, 128, 40));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BertConfig(1000, 0, 2, 4, 128, 40));
        var bert = new BertConfig(1000, 64, 2, 4, 128, 40);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new VideoClipConfig(bert, bert, maxVideoLen: 39));
        Assert.Contains("40 rows", ex.Message);
    }
}
