using Norton.Training.Extraction;
using Xunit;

namespace Norton.Training.Tests.Extraction;

/// <summary>The decoder's frames against the same filter chain run on the ffmpeg command line (bit-exact).</summary>
public sealed class FrameParityTests(TestVideos videos) : IClassFixture<TestVideos>
{
    public static TheoryData<string, string, int> Cases => new()
    {
        // name, the chain written out by hand (FramePreprocessingTests derives it), expected frame count at 30 fps.
        { "landscape", "fps=30,scale=298:224,crop=224:224:37:0", 30 },
        { "portrait", "fps=30,scale=224:398,crop=224:224:0:87", 45 },
        { "short", "fps=30,scale=302:224,crop=224:224:39:0", 12 },
        { "square", "fps=30,scale=224:224,crop=224:224:0:0", 30 },
    };

    private string PathOf(string name) => name switch
    {
        "landscape" => videos.Landscape,
        "portrait" => videos.Portrait,
        "short" => videos.Short,
        _ => videos.Square,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DecodedClipsEqualTheCommandLinesRawFramesThenZeros(string name, string chain, int expectedFrames)
    {
        string path = PathOf(name);
        var prep = FramePreprocessing.Original;
        var (w, h) = VideoFrameDecoder.Probe(path);
        Assert.Equal(chain, prep.FilterChain(w, h));

        var clips = new List<(byte[] Pixels, int Frames)>();
        int frames = VideoFrameDecoder.Decode(path, prep, (pixels, n) => clips.Add((pixels, n)), CancellationToken.None);
        byte[] reference = Ffmpeg.RawFrames(path, chain);

        Assert.Equal(expectedFrames, frames);
        Assert.Equal(reference.Length, frames * prep.FrameBytes);
        Assert.Equal((expectedFrames + 29) / 30, clips.Count);
        Assert.All(clips.SkipLast(1), c => Assert.Equal(30, c.Frames));
        Assert.Equal(expectedFrames - 30 * (clips.Count - 1), clips[^1].Frames);

        byte[] decoded = clips.SelectMany(c => c.Pixels.Take(c.Frames * prep.FrameBytes)).ToArray();
        Assert.True(reference.AsSpan().SequenceEqual(decoded), $"{name}: decoded frames differ from the command line's");
        var tail = clips[^1].Pixels.AsSpan(clips[^1].Frames * prep.FrameBytes);
        Assert.True(tail.IndexOfAnyExcept((byte)0) < 0, $"{name}: the last clip is not zero-padded");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheOriginalsFilterGraphGivesTheSameFrames(string name, string chain, int expectedFrames)
    {
        // ffmpeg-python, which the original calls, writes the chain as a -filter_complex graph with fps=fps=30.
        string[] parts = chain.Split(',');
        string graph = $"[0]fps=fps={parts[0]["fps=".Length..]}[s0];[s0]{parts[1]}[s1];[s1]{parts[2]}[s2]";
        string path = PathOf(name);
        byte[] original = Ffmpeg.Run("-v", "error", "-i", path, "-filter_complex", graph, "-map", "[s2]", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:");
        Assert.Equal(expectedFrames * FramePreprocessing.Original.FrameBytes, original.Length);
        Assert.True(original.AsSpan().SequenceEqual(Ffmpeg.RawFrames(path, chain)), $"{name}: -vf and the original's graph differ");
    }

    [Fact]
    public void ClipTensorIsRgbOver255InChannelTimeHeightWidthOrder()
    {
        var prep = new FramePreprocessing(4, 6);
        var clip = new byte[prep.ChunkBytes];
        for (int i = 0; i < clip.Length; i++) clip[i] = (byte)(i * 7 % 256);
        using var tensor = ClipTensors.FromClips([clip, clip], prep, TorchSharp.torch.CPU);
        Assert.Equal(new long[] { 2, 3, 4, 6, 6 }, tensor.shape);
        var values = tensor.data<float>().ToArray();
        for (int n = 0; n < 2; n++)
        for (int c = 0; c < 3; c++)
        for (int t = 0; t < 4; t++)
        for (int y = 0; y < 6; y++)
        for (int x = 0; x < 6; x++)
        {
            byte source = clip[((t * 6 + y) * 6 + x) * 3 + c];                // frames x H x W x rgb
            float actual = values[(((n * 3 + c) * 4 + t) * 6 + y) * 6 + x];
            Assert.Equal(source / 255f, actual, 1e-7f);
        }
    }

    [Fact]
    public void NotAVideoIsADecodeErrorNamingTheFile()
    {
        var e = Assert.Throws<VideoDecodeException>(() =>
            VideoFrameDecoder.Decode(videos.NotAVideo, FramePreprocessing.Original, (_, _) => { }, CancellationToken.None));
        Assert.Contains("notavideo.mp4", e.Message);
        var missing = Assert.Throws<VideoDecodeException>(() =>
            VideoFrameDecoder.Decode(Path.Combine(videos.Folder, "absent.mp4"), FramePreprocessing.Original, (_, _) => { }, CancellationToken.None));
        Assert.Contains("does not exist", missing.Message);
    }
}
