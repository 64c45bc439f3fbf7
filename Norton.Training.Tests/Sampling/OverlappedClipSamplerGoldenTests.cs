using Norton.Training.Sampling;
using Xunit;

namespace Norton.Training.Tests.Sampling;

/// <summary>
/// The sampler against traces of the original <c>VideoRetriOverlappedAligner</c> run with SplitMix64 draws: the same
/// draws in the same order, and the same collated batch.
/// </summary>
public class OverlappedClipSamplerGoldenTests
{
    public static TheoryData<string> Cases => GoldenFolders.Cases("sampler");

    [Fact]
    public void ThereAreGoldenCases() => Assert.NotEmpty(GoldenFolders.Files("sampler"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheOriginalDrawForDraw(string path)
    {
        var golden = SamplerGoldenCase.Load(path);
        var videos = golden.Videos();
        var sampler = new OverlappedClipSampler();
        var options = sampler.Options;
        var random = new RecordingRandomSource(new SplitMix64(golden.Seed));
        int rows = videos.Count * options.ClipsPerVideo, dim = videos[0].FeatureDim;
        var caps = new long[rows * options.TextLength];
        var cmasks = new bool[caps.Length];
        var vfeats = new float[rows * options.MaxVideoLength * dim];
        var vmasks = new bool[rows * options.MaxVideoLength];
        var windows = new List<ClipWindow>();
        for (int v = 0; v < videos.Count; v++)
        {
            var sampled = sampler.Sample(videos[v], random);
            ClipRowWriter.Write(videos[v], sampled, options, caps, cmasks, vfeats, vmasks, v * options.ClipsPerVideo);
            windows.AddRange(sampled);
        }

        var draws = golden.Draws();
        int firstDiff = Enumerable.Range(0, Math.Min(draws.Count, random.Log.Count)).FirstOrDefault(i => draws[i] != random.Log[i], -1);
        Assert.True(firstDiff < 0 && draws.Count == random.Log.Count,
            $"draw logs differ: {draws.Count} expected, {random.Log.Count} made; first difference at {firstDiff}: " +
            (firstDiff >= 0 ? $"expected '{draws[firstDiff]}', made '{random.Log[firstDiff]}'" : ""));
        Assert.Equal(golden.Expected("text_start", e => e.GetInt32()), windows.Select(w => w.TextStart).ToArray());
        Assert.Equal(golden.Expected("text_end", e => e.GetInt32()), windows.Select(w => w.TextEnd).ToArray());
        Assert.Equal(golden.Expected("video_start", e => e.GetInt32()), windows.Select(w => w.VideoStart).ToArray());
        Assert.Equal(golden.Expected("video_end", e => e.GetInt32()), windows.Select(w => w.VideoEnd).ToArray());
        Assert.Equal(golden.Expected("caps", e => e.GetInt64()), caps);
        Assert.Equal(golden.Expected("cmasks", e => e.GetBoolean()), cmasks);
        Assert.Equal(golden.Expected("vmasks", e => e.GetBoolean()), vmasks);
        Assert.Equal(golden.Expected("vfeats", e => (float)e.GetDouble()), vfeats);
    }
}
