using Norton.Demo.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Demo.Tests;

public sealed class NoisyVideoGeneratorTests
{
    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static readonly DemoOptions Small = new() { Videos = 40, Clips = 8, Frames = 5, Words = 6, Seed = 3 };

    [Fact]
    public void SameSeedGivesTheSameVideos()
    {
        using var a = new NoisyVideoGenerator(Small);
        using var b = new NoisyVideoGenerator(Small);
        using var x = a.Generate(40, stream: 0);
        using var y = b.Generate(40, stream: 0);
        Assert.True(Same(x.Frames, y.Frames));
        Assert.True(Same(x.Words, y.Words));
        Assert.Equal(x.Shifts, y.Shifts);
        Assert.Equal(x.Truth, y.Truth);
    }

    [Fact]
    public void OtherSeedsAndStreamsGiveOtherVideos()
    {
        using var a = new NoisyVideoGenerator(Small);
        using var b = new NoisyVideoGenerator(Small with { Seed = 4 });
        using var train = a.Generate(40, stream: 0);
        using var test = a.Generate(40, stream: 1);
        using var other = b.Generate(40, stream: 0);
        Assert.False(Same(train.Frames, test.Frames));
        Assert.False(Same(train.Frames, other.Frames));
        Assert.False(Same(train.Words, other.Words));
    }

    [Fact]
    public void ShapesAreVideosClipsTokensFeatures()
    {
        using var g = new NoisyVideoGenerator(Small);
        using var set = g.Generate(7, stream: 0);
        Assert.Equal(new long[] { 7, 8, 5, NoisyVideoGenerator.FeatureDim }, set.Frames.shape);
        Assert.Equal(new long[] { 7, 8, 6, NoisyVideoGenerator.FeatureDim }, set.Words.shape);
        Assert.Equal(ScalarType.Float32, set.Frames.dtype);
        Assert.Equal(7, set.Count);
        Assert.Equal(8, set.Clips);
    }

    [Theory]
    [InlineData(0.5, 0.3, 0.3)]
    [InlineData(0.25, 0.1, 0.5)]
    [InlineData(1.0, 0.0, 0.0)]
    public void NoiseLevelsAreTheAskedFractions(double shifted, double irrelevant, double background)
    {
        var options = Small with { Shifted = shifted, Irrelevant = irrelevant, Background = background };
        using var g = new NoisyVideoGenerator(options);
        using var set = g.Generate(40, stream: 0);

        Assert.Equal((int)Math.Round(shifted * 40, MidpointRounding.AwayFromZero), set.Shifts.Count(s => s != 0));
        Assert.All(set.Shifts, s => Assert.Contains(s, new[] { -2, -1, 0, 1, 2 }));
        Assert.Equal((int)Math.Round(irrelevant * 320, MidpointRounding.AwayFromZero), set.Irrelevant.Cast<bool>().Count(b => b));
        Assert.Equal((long)Math.Round(background * 40 * 8 * 5, MidpointRounding.AwayFromZero), set.BackgroundFrames.sum().item<long>());
        Assert.Equal((long)Math.Round(background * 40 * 8 * 6, MidpointRounding.AwayFromZero), set.FillerWords.sum().item<long>());
    }

    [Fact]
    public void StepsComeFromTheVocabularyAndRecurAcrossVideos()
    {
        using var g = new NoisyVideoGenerator(Small with { Steps = 5 });
        using var set = g.Generate(40, stream: 0);
        var steps = set.ClipSteps.Cast<int>().ToArray();
        Assert.All(steps, s => Assert.InRange(s, 0, 4));
        Assert.Equal(5, steps.Distinct().Count());   // 320 clips over 5 steps: every step recurs
    }

    [Fact]
    public void ClipsOfOneStepWithoutDetailsOrNoiseLookAlike()
    {
        // One step, no per-clip details, no jitter, no background: every frame of every clip is the same vector.
        var bare = Small with { Steps = 1, Detail = 0, TokenNoise = 0, Background = 0 };
        using var g = new NoisyVideoGenerator(bare);
        using var set = g.Generate(3, stream: 0);
        var first = set.Frames[0, 0, 0];
        Assert.True(set.Frames.sub(first).abs().max().item<float>() < 1e-5f);
        // With details, clips of the same step differ.
        using var h = new NoisyVideoGenerator(bare with { Detail = 0.5 });
        using var detailed = h.Generate(3, stream: 0);
        Assert.True(detailed.Frames[0, 1, 0].sub(detailed.Frames[0, 0, 0]).abs().max().item<float>() > 1e-2f);
    }

    [Fact]
    public void TruthFollowsTheShiftAndSkipsIrrelevantCaptions()
    {
        using var g = new NoisyVideoGenerator(Small);
        using var set = g.Generate(40, stream: 0);
        for (int v = 0; v < set.Count; v++)
            for (int c = 0; c < set.Clips; c++)
            {
                int described = c - set.Shifts[v];
                int expected = set.Irrelevant[v, c] || described < 0 || described >= set.Clips ? -1 : described;
                Assert.Equal(expected, set.Truth[v, c]);
            }
    }

    [Fact]
    public void WithoutNoiseEveryCaptionDescribesItsClipAndTheirTokensAgree()
    {
        var clean = Small with { Shifted = 0, Irrelevant = 0, Background = 0, TokenNoise = 0 };
        using var g = new NoisyVideoGenerator(clean);
        using var set = g.Generate(10, stream: 0);
        for (int v = 0; v < set.Count; v++)
            for (int c = 0; c < set.Clips; c++)
                Assert.Equal(c, set.Truth[v, c]);
        Assert.Equal(0, set.BackgroundFrames.sum().item<long>());
        // Without token noise every frame of a clip is the same projection of its step.
        Assert.True(set.Frames[.., .., 0].allclose(set.Frames[.., .., 4]));
    }

    [Fact]
    public void ShiftedCaptionDescribesTheStepOfItsTrueClip()
    {
        // Without token noise and background a caption's words are the narrator's projection of the step it
        // describes. The same seed with and without shifts draws the same steps, so caption c of a video shifted by s
        // must read exactly like caption c - s of the in-sync video (both describe clip c - s).
        var clean = Small with { Shifted = 1, Irrelevant = 0, Background = 0, TokenNoise = 0 };
        using var shiftedWorld = new NoisyVideoGenerator(clean);
        using var shifted = shiftedWorld.Generate(6, stream: 0);
        using var syncWorld = new NoisyVideoGenerator(clean with { Shifted = 0 });
        using var sync = syncWorld.Generate(6, stream: 0);

        Assert.True(Same(shifted.Frames, sync.Frames));
        int compared = 0;
        for (int v = 0; v < 6; v++)
        {
            Assert.NotEqual(0, shifted.Shifts[v]);
            for (int c = 0; c < shifted.Clips; c++)
            {
                int clip = shifted.Truth[v, c];
                if (clip < 0) continue;
                Assert.True(shifted.Words[v, c].allclose(sync.Words[v, clip]), $"video {v} caption {c} vs clip {clip}");
                Assert.False(shifted.Words[v, c].allclose(sync.Words[v, c]), $"video {v} caption {c} should not describe clip {c}");
                compared++;
            }
        }
        Assert.True(compared >= 6 * (shifted.Clips - 2));
    }
}
