using Norton.Models.Data;
using Norton.Training.Corpus;
using Norton.Training.Batching;
using Norton.Training.Extraction;
using Norton.Training.Sampling;
using Norton.Training.Tests.Extraction;
using Xunit;

namespace Norton.Training.Tests.Corpus;

/// <summary>
/// The whole data path on two short ffmpeg videos: S3D features (fixture weights, 8 fps, 64 x 64) -> tokenised
/// captions -> corpus shards -> PretrainingCorpus.Open -> one batch from the overlapped clip sampler.
/// </summary>
public sealed class VideosToCorpusEndToEndTests : IClassFixture<S3DFixtureModel>
{
    private readonly S3DFixtureModel _model;

    public VideosToCorpusEndToEndTests(S3DFixtureModel model) => _model = model;

    [Fact]
    public void VideosBecomeACorpusTheSamplerDrawsABatchFrom()
    {
        string dir = Path.Combine(Path.GetTempPath(), "norton-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string videos = Path.Combine(dir, "videos"), features = Path.Combine(dir, "features");
            Directory.CreateDirectory(videos);
            Ffmpeg.MakeTestVideo(Path.Combine(videos, "cooking.mp4"), 160, 120, 25, 3.0);
            Ffmpeg.MakeTestVideo(Path.Combine(videos, "repair.mp4"), 120, 160, 25, 4.0);
            using (var extractor = new S3DFeatureExtractor(_model.Model, new S3DExtractionOptions(2, decodeAheadClips: 1), new FramePreprocessing(8, 64), ownsModel: false))
            {
                var summary = extractor.Extract([Path.Combine(videos, "cooking.mp4"), Path.Combine(videos, "repair.mp4")], features);
                Assert.Equal(2, summary.Extracted.Count);
            }

            string json = Path.Combine(dir, "captions.json");
            File.WriteAllText(json, """
                {"cooking": {"start": [0.0, 1.2], "end": [1.5, 3.0], "text": ["chop the onion", "fry it in the pan"]},
                 "repair": {"start": [0.0, 1.0, 2.5], "end": [1.0, 2.5, 4.0], "text": ["remove the wheel", "patch the tire", "put it back"]}}
                """);
            string tokens = Path.Combine(dir, "tokens");
            TokenizedCaptionFile.Write(tokens, SentencifiedCaptions.Read(json));
            string corpusFolder = Path.Combine(dir, "corpus");
            var built = CorpusBuilder.Build(features, tokens, corpusFolder);
            Assert.Equal(new CorpusBuilder.Summary(2, 0, 0), built);

            using var corpus = PretrainingCorpus.Open(corpusFolder);
            Assert.Equal(["cooking", "repair"], corpus.VideoIds);
            Assert.Equal(512, corpus.FeatureDim);
            Assert.Equal(3, corpus.Seconds("cooking"));
            Assert.Equal(4, corpus.Seconds("repair"));
            using (var extracted = S3DFeatureFile.Read(Path.Combine(features, "repair.npy")))
                Assert.Equal(extracted.data<float>().ToArray(), corpus.Read("repair").Features);
            Assert.Equal(new CaptionPretokenizer().Encode("patch the tire"), corpus.Read("repair").Tokens[1]);

            var sampler = new OverlappedClipSampler(new ClipSamplerOptions
            {
                ClipsPerVideo = 2, SampledMinLength = 2, SampledMaxLength = 6, SampledVideoMinLength = 1, SampledVideoMaxLength = 2,
                MaxVideoLength = 4, MaxLength = 14,
            });
            var batch = BatchFeeder.Build(corpus, corpus.VideoIds, sampler, new SplitMix64(3));
            Assert.Equal(4, batch.Rows);
            for (int row = 0; row < batch.Rows; row++)
            {
                Assert.Equal(101, batch.Caps[row * 10]);                 // [CLS]
                Assert.True(batch.VideoMask[row * 4]);                   // at least one second of video
                Assert.Contains(batch.VideoFeatures.AsSpan(row * 4 * 512, 512).ToArray(), v => v != 0);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
