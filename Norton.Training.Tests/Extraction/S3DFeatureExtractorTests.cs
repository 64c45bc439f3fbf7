using Norton.Models.S3D;
using Norton.Training.Extraction;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Training.Tests.Extraction;

/// <summary>
/// The whole pipeline on small frames (8 fps, 64 x 64: S3D at 224 x 224 x 30 costs seconds per clip on 2 cores) with
/// the fixture weights, against S3D-G run directly on clips built here from the command line's frames.
/// </summary>
public sealed class S3DFeatureExtractorTests : IClassFixture<TestVideos>, IClassFixture<S3DFixtureModel>, IDisposable
{
    private static readonly FramePreprocessing Small = new(8, 64);
    private readonly TestVideos _videos;
    private readonly S3DG _model;
    private readonly string _output = Path.Combine(Path.GetTempPath(), "norton-features-" + Guid.NewGuid().ToString("N"));

    public S3DFeatureExtractorTests(TestVideos videos, S3DFixtureModel model)
    {
        _videos = videos;
        _model = model.Model;
    }

    public void Dispose()
    {
        if (Directory.Exists(_output)) Directory.Delete(_output, recursive: true);
    }

    private static readonly Dictionary<string, int> ExpectedFrames = new()
    {
        ["fps=8,scale=85:64,crop=64:64:10:0"] = 8, ["fps=8,scale=64:113,crop=64:64:0:24"] = 12, ["fps=8,scale=86:64,crop=64:64:11:0"] = 3,
    };

    private S3DFeatureExtractor Extractor(int batch) => new(_model, new S3DExtractionOptions(batch, decodeAheadClips: 1), Small, ownsModel: false);

    private string Features(string video) => Path.Combine(_output, S3DFeatureExtractor.FeatureFileName(video));

    /// <summary>Frames from the command line, zero-padded to whole seconds, /255, S3D-G, L2 norm in double.</summary>
    private double[,] Reference(string video, string chain)
    {
        byte[] raw = Ffmpeg.RawFrames(video, chain);
        int fps = Small.Fps, size = Small.FrameSize, frames = raw.Length / Small.FrameBytes;
        Assert.Equal(ExpectedFrames[chain], frames);
        int clips = (frames + fps - 1) / fps;
        var input = new float[clips * 3 * fps * size * size];          // zeros beyond the last frame = the padding
        for (int f = 0; f < frames; f++)
        for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
        for (int c = 0; c < 3; c++)
            input[((((f / fps) * 3 + c) * fps + f % fps) * size + y) * size + x] = raw[((f * size + y) * size + x) * 3 + c] / 255f;

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var output = _model.forward(tensor(input, new long[] { clips, 3, fps, size, size }));
        var embedding = output.VideoEmbedding.data<float>().ToArray();
        int dim = (int)output.VideoEmbedding.shape[1];
        var result = new double[clips, dim];
        for (int i = 0; i < clips; i++)
        {
            double norm = Math.Sqrt(Enumerable.Range(0, dim).Sum(j => (double)embedding[i * dim + j] * embedding[i * dim + j]));
            for (int j = 0; j < dim; j++) result[i, j] = embedding[i * dim + j] / Math.Max(norm, 1e-12);
        }
        return result;
    }

    private static void AssertFeatures(double[,] expected, string npy, string name)
    {
        var (_, rows, columns, values) = NpyTestReader.ReadFloat16(npy);
        Assert.Equal(expected.GetLength(0), rows);
        Assert.Equal(512, columns);
        double worst = 0;
        for (int i = 0; i < rows; i++)
        {
            double norm = 0;
            for (int j = 0; j < columns; j++)
            {
                double v = values[i * columns + j];
                norm += v * v;
                worst = Math.Max(worst, Math.Abs(v - expected[i, j]));
            }
            Assert.InRange(Math.Sqrt(norm), 0.998, 1.002);              // unit rows, up to float16 rounding
        }
        Assert.True(worst <= 1e-3, $"{name}: max |npy - reference| = {worst:g3}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void FeaturesEqualS3DOnTheCommandLinesClips(int batch)
    {
        using var extractor = Extractor(batch);
        var summary = extractor.Extract([_videos.Landscape, _videos.Portrait, _videos.Short], _output);

        Assert.Empty(summary.Failures);
        Assert.Equal([_videos.Landscape, _videos.Portrait, _videos.Short], summary.Extracted);
        // 8 + 12 + 3 frames at 8 fps (1 s at 25 fps, 1.5 s at 60 fps, and 0.4 s, where ffmpeg's fps filter keeps 3).
        Assert.Equal(23 / 8.0, summary.VideoSeconds, 6);
        AssertFeatures(Reference(_videos.Landscape, "fps=8,scale=85:64,crop=64:64:10:0"), Features(_videos.Landscape), "landscape");   // 1 full clip
        AssertFeatures(Reference(_videos.Portrait, "fps=8,scale=64:113,crop=64:64:0:24"), Features(_videos.Portrait), "portrait");     // 1 full + 1 padded
        AssertFeatures(Reference(_videos.Short, "fps=8,scale=86:64,crop=64:64:11:0"), Features(_videos.Short), "short");               // 1 padded
        Assert.Empty(Directory.GetFiles(_output, "*.tmp"));
    }

    [Fact]
    public void BadFilesAreReportedAndTheRunGoesOn()
    {
        string missing = Path.Combine(_videos.Folder, "missing.mp4");
        var reports = new List<ExtractionProgress>();
        using var extractor = Extractor(2);
        var summary = extractor.Extract([_videos.NotAVideo, _videos.Landscape, missing], _output, reports.Add);

        Assert.Equal([_videos.Landscape], summary.Extracted);
        Assert.Equal([_videos.NotAVideo, missing], summary.Failures.Select(f => f.Video));
        Assert.All(summary.Failures, f => Assert.False(string.IsNullOrWhiteSpace(f.Reason)));
        Assert.Contains("does not exist", summary.Failures[1].Reason);
        Assert.Equal(["landscape.npy"], Directory.GetFiles(_output).Select(Path.GetFileName));
        Assert.Equal([1, 2, 3], reports.Select(r => r.VideosDone));
        Assert.Equal([ExtractionOutcome.Failed, ExtractionOutcome.Extracted, ExtractionOutcome.Failed], reports.Select(r => r.Outcome));
        Assert.All(reports, r => Assert.Equal(3, r.VideosTotal));
        Assert.NotNull(reports[0].Error);
    }

    [Fact]
    public void ResumeSkipsVideosAlreadyExtracted()
    {
        Directory.CreateDirectory(_output);
        byte[] earlier = [1, 2, 3];                                    // not even an .npy: proves it is not read or rewritten
        File.WriteAllBytes(Features(_videos.Landscape), earlier);
        using var extractor = Extractor(2);
        var summary = extractor.Extract([_videos.Landscape, _videos.Short], _output);

        Assert.Equal([_videos.Landscape], summary.Skipped);
        Assert.Equal([_videos.Short], summary.Extracted);
        Assert.Equal(earlier, File.ReadAllBytes(Features(_videos.Landscape)));
        Assert.Equal(1, NpyTestReader.ReadFloat16(Features(_videos.Short)).Rows);

        var again = extractor.Extract([_videos.Landscape, _videos.Short], _output);
        Assert.Equal(2, again.Skipped.Count);
        Assert.Empty(again.Extracted);
    }

    [Fact]
    public void CancelledRunLeavesOnlyWholeFilesAndResumes()
    {
        using var extractor = Extractor(1);
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            extractor.Extract([_videos.Landscape, _videos.Portrait, _videos.Short], _output, _ => cancel.Cancel(), cancel.Token));
        Assert.Equal(["landscape.npy"], Directory.GetFiles(_output).Select(Path.GetFileName));

        var resumed = extractor.Extract([_videos.Landscape, _videos.Portrait, _videos.Short], _output);
        Assert.Equal([_videos.Landscape], resumed.Skipped);
        Assert.Equal([_videos.Portrait, _videos.Short], resumed.Extracted);
    }

    [Fact]
    public void VideosWithTheSameIdAreRejected()
    {
        using var extractor = Extractor(2);
        var e = Assert.Throws<ArgumentException>(() => extractor.Extract(["a/clip.mp4", "b/clip.mkv"], _output));
        Assert.Contains("clip.npy", e.Message);
    }

    [Fact]
    public void FromWeightsLoadsTheS3DCheckpointWithTheOriginalPreprocessing()
    {
        using var extractor = S3DFeatureExtractor.FromWeights(S3DFixtureModel.WeightsPath);
        Assert.Equal(FramePreprocessing.Original, extractor.Preprocessing);
        Assert.Throws<FileNotFoundException>(() => S3DFeatureExtractor.FromWeights(Path.Combine(_videos.Folder, "none.pth")));
    }
}
