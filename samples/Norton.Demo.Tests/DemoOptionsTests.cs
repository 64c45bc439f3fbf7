using Xunit;

namespace Norton.Demo.Tests;

public sealed class DemoOptionsTests
{
    [Fact]
    public void NoArgumentsGiveTheBenchmarkDefaults()
    {
        var o = DemoOptions.Parse(Array.Empty<string>())!;
        Assert.Equal(512, o.Videos);
        Assert.Equal(8, o.Clips);
        Assert.Equal(20, o.Epochs);
        Assert.Equal(16, o.BatchVideos);
        Assert.Equal(0.5, o.Shifted);
        Assert.Equal(0.3, o.Irrelevant);
        Assert.Equal(0.3, o.Background);
        Assert.Equal(0, o.Seed);
    }

    [Fact]
    public void FlagsAreRead()
    {
        var o = DemoOptions.Parse(new[]
        {
            "--videos", "64", "--test-videos", "16", "--epochs", "3", "--batch", "8", "--seed", "7", "--output", "out dir",
            "--shifted", "0.25", "--irrelevant", "0.1", "--background", "0.5", "--lr", "0.002", "--frames", "4", "--words", "5",
            "--token-noise", "0.7", "--clips", "6", "--steps", "12", "--detail", "0.25", "--no-plots", "--serial",
        })!;
        Assert.Equal(new DemoOptions
        {
            Videos = 64, TestVideos = 16, Epochs = 3, BatchVideos = 8, Seed = 7, Output = "out dir", Shifted = 0.25,
            Irrelevant = 0.1, Background = 0.5, LearningRate = 0.002, Frames = 4, Words = 5, TokenNoise = 0.7, Clips = 6,
            Steps = 12, Detail = 0.25, NoPlots = true, Serial = true,
        }, o);
    }

    [Fact]
    public void HelpGivesNull() => Assert.Null(DemoOptions.Parse(new[] { "--help" }));

    [Theory]
    [InlineData("--shifted", "1.5", "--shifted")]
    [InlineData("--irrelevant", "-0.1", "--irrelevant")]
    [InlineData("--epochs", "0", "--epochs")]
    [InlineData("--epochs", "two", "--epochs")]
    [InlineData("--lr", "0", "--lr")]
    [InlineData("--frobnicate", "1", "--frobnicate")]
    public void BadValuesNameTheirFlag(string flag, string value, string named)
    {
        var e = Assert.Throws<ArgumentException>(() => DemoOptions.Parse(new[] { flag, value }));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void AMissingValueIsReported() =>
        Assert.Contains("--seed needs a value", Assert.Throws<ArgumentException>(() => DemoOptions.Parse(new[] { "--seed" })).Message);

    [Fact]
    public void ABatchTooSmallForThePromptBucketIsRejected() =>
        Assert.Contains("prompt bucket", Assert.Throws<ArgumentException>(() => DemoOptions.Parse(new[] { "--batch", "1", "--clips", "3" })).Message);
}
