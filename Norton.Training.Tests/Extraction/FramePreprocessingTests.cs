using FsCheck;
using FsCheck.Fluent;
using Norton.Training.Extraction;
using Xunit;

namespace Norton.Training.Tests.Extraction;

public sealed class FramePreprocessingTests
{
    [Theory]
    // (width, height) -> the original's int(long * 224 / short) and int((w - 224) / 2), int((h - 224) / 2), by hand.
    [InlineData(320, 240, "fps=30,scale=298:224,crop=224:224:37:0")]     // 320*224/240 = 298.67
    [InlineData(180, 320, "fps=30,scale=224:398,crop=224:224:0:87")]     // 320*224/180 = 398.22
    [InlineData(200, 148, "fps=30,scale=302:224,crop=224:224:39:0")]     // 200*224/148 = 302.70
    [InlineData(256, 256, "fps=30,scale=224:224,crop=224:224:0:0")]      // square: h >= w branch
    [InlineData(1920, 1080, "fps=30,scale=398:224,crop=224:224:87:0")]   // 1920*224/1080 = 398.22
    [InlineData(100, 50, "fps=30,scale=448:224,crop=224:224:112:0")]     // upscaled
    public void FilterChainIsTheOriginals(int width, int height, string expected) =>
        Assert.Equal(expected, FramePreprocessing.Original.FilterChain(width, height));

    [Fact]
    public void ScaledSizeTruncatesLikePythonsIntOfAFloatQuotient() =>
        Prop.ForAll(Gen.Choose(1, 8192).ToArbitrary(), Gen.Choose(1, 8192).ToArbitrary(), (w, h) =>
        {
            var (sw, sh) = FramePreprocessing.Original.ScaledSize(w, h);
            var expected = h >= w ? (224, (int)Math.Truncate(h * 224.0 / w)) : ((int)Math.Truncate(w * 224.0 / h), 224);
            return (sw, sh) == expected;
        }).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData(0, 224)]
    [InlineData(31, 224)]
    [InlineData(30, 223)]
    public void OddOrEmptySizesAreRejected(int fps, int size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FramePreprocessing(fps, size));
}
