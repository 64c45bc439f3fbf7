using Norton.Models;
using Norton.Models.Bert;
using Norton.Models.VideoClip;
using Norton.Training.Corpus;
using Norton.Training.Retrieval;
using Norton.Training.Sampling;
using Norton.Training.Tests.Corpus;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Training.Tests.Retrieval;

/// <summary>Video vectors from a (tiny) model, and the retrieval epoch plan end to end.</summary>
public class VideoVectorEncoderTests
{
    private static readonly TorchSharp.Scalar Half = 0.5;

    private static VideoTextModel TinyModel()
    {
        manual_seed(11);
        var bert = new BertConfig(30522, 32, 1, 2, 64, 40);
        return new VideoTextModel(new VideoClipConfig(bert, bert, maxVideoLen: 16));
    }

    [Fact]
    public void VectorIsTheMeanOverClipsOfTheTwoPooledOutputs()
    {
        using var folder = new TempFolder();
        var ids = SyntheticCorpus.Write(folder.Path, 5, 8, new SyntheticCorpusOptions { MinSeconds = 20, MaxSeconds = 30 });
        using var corpus = PretrainingCorpus.Open(folder.Path);
        using var model = TinyModel();
        model.train();
        using var scope = NewDisposeScope();
        var vectors = VideoVectorEncoder.Encode(model, corpus, ids, new SplitMix64(3), videosPerForward: 2);
        Assert.True(model.training);
        Assert.Equal(new long[] { 5, 32 }, vectors.shape);

        // By hand for the third video: the same draws (two videos drawn first), one forward in eval mode.
        var random = new SplitMix64(3);
        var sampler = new TextAlignedClipSampler();
        sampler.Sample(corpus.Read(ids[0]), random);
        sampler.Sample(corpus.Read(ids[1]), random);
        var video = corpus.Read(ids[2]);
        var windows = sampler.Sample(video, random);
        var caps = new long[16 * 32];
        var cmasks = new bool[caps.Length];
        var vfeats = new float[16 * 16 * 512];
        var vmasks = new bool[16 * 16];
        ClipRowWriter.Write(video, windows, sampler.Options, caps, cmasks, vfeats, vmasks, 0);
        model.eval();
        using (no_grad())
        {
            using var output = model.forward(tensor(caps, new long[] { 16, 32 }), tensor(cmasks, new long[] { 16, 32 }),
                tensor(vfeats, new long[] { 16, 16, 512 }), tensor(vmasks, new long[] { 16, 16 }));
            var expected = output.Video.Pooled.add(output.Text.Pooled).mul(Half).mean(new long[] { 0 });
            Assert.True(expected.allclose(vectors[2], rtol: 1e-4, atol: 1e-5));
        }
    }

    [Fact]
    public void RetrievalPlanCoversTheCorpusIds()
    {
        using var folder = new TempFolder();
        var ids = SyntheticCorpus.Write(folder.Path, 40, 9, new SyntheticCorpusOptions { MinSeconds = 20, MaxSeconds = 30 });
        using var corpus = PretrainingCorpus.Open(folder.Path);
        using var model = TinyModel();
        var options = new RetrievalOptions { VideosPerBatch = 8, ExamplesPerCentroidToTrain = 10, Candidates = 12 };
        var batches = EpochPlanner.Plan(corpus, new SplitMix64(1), model, options);
        Assert.Equal(5, batches.Count);                        // 40 / 8 queries
        Assert.All(batches, b => Assert.InRange(b.Length, 1, 8));
        Assert.All(batches.SelectMany(b => b), id => Assert.Contains(id, ids));
        Assert.Equal(5, EpochPlanner.Plan(corpus, new SplitMix64(1), null, options).Count);
    }
}
