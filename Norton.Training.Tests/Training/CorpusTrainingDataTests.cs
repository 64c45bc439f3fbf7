using Norton.Models;
using Norton.Models.Bert;
using Norton.Models.VideoClip;
using Norton.Training.Batching;
using Norton.Training.Corpus;
using Norton.Training.Retrieval;
using Norton.Training.Sampling;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Training.Tests.Training;

public sealed class CorpusTrainingDataTests
{
    private static readonly ClipSamplerOptions Clips = new()
    {
        ClipsPerVideo = 4, SampledMinLength = 4, SampledMaxLength = 8, SampledVideoMinLength = 2, SampledVideoMaxLength = 6,
        MaxVideoLength = 6, MaxLength = 15,
    };

    private static readonly RetrievalOptions Retrieval = new() { VideosPerBatch = 3, Candidates = 6, Centroids = 2, ExamplesPerCentroidToTrain = 4 };

    private static string Write(int train, int val, int dim = 8)
    {
        string folder = TinySetup.TempFolder();
        var options = new SyntheticCorpusOptions { FeatureDim = dim, Steps = 6, MinSeconds = 16, MaxSeconds = 24 };
        SyntheticCorpus.Write(folder, train, 3, options);
        if (val > 0) SyntheticCorpus.Write(folder, val, 3, options with { SkipVideos = train, Layout = new CorpusWriterOptions { Split = "val" } });
        return folder;
    }

    [Fact]
    public void PlansAndBatchesAreThoseOfTheEpochPlannerAndTheBatchFeeder()
    {
        string folder = Write(9, 7);
        using var data = CorpusTrainingData.Open(folder, Clips, Retrieval, expectedFeatureDim: 8);
        using var corpus = PretrainingCorpus.Open(folder);
        Assert.Equal(8, data.FeatureDim);

        var plan = data.PlanEpoch(1, retrieval: false, null!, new SplitMix64(4));
        var expected = EpochPlanner.Plan(corpus, new SplitMix64(4), null, Retrieval with { Clips = Clips });
        Assert.Equal(expected.Select(b => string.Join(",", b)), plan.Select(b => string.Join(",", b)));
        Assert.Equal(3, plan.Count);

        var batch = data.LoadBatch(plan[1], new SplitMix64(9));
        var reference = BatchFeeder.Build(corpus, plan[1], new OverlappedClipSampler(Clips), new SplitMix64(9));
        Assert.Equal(reference.Caps, batch.Caps);
        Assert.Equal(reference.VideoFeatures, batch.VideoFeatures);
        Assert.Equal(reference.VideoMask, batch.VideoMask);

        // Validation: the val split in batches of 3 (the 7th video does not fill one); its batches load from the val split.
        var validation = data.ValidationPlan();
        Assert.Equal(2, validation.Count);
        Assert.All(validation.SelectMany(b => b), id => Assert.True(data.Validation!.Contains(id)));
        Assert.Equal(3 * Clips.ClipsPerVideo, data.LoadBatch(validation[0], new SplitMix64(1)).Rows);
        Assert.Throws<ArgumentException>(() => data.LoadBatch([plan[0][0], validation[0][0]], new SplitMix64(1)));
    }

    [Fact]
    public void RetrievalEpochsGroupVideosWithTheModel()
    {
        string folder = Write(12, 0);
        using var data = CorpusTrainingData.Open(folder, Clips, Retrieval, expectedFeatureDim: 8);
        Assert.Empty(data.ValidationPlan());
        manual_seed(2);
        var bert = new BertConfig(30522, 16, 1, 2, 32, 24);
        using var model = new VideoTextModel(new VideoClipConfig(bert, bert, maxVideoLen: 6, inputDim: 8));
        var plan = data.PlanEpoch(2, retrieval: true, model, new SplitMix64(6));
        using var corpus = PretrainingCorpus.Open(folder);
        manual_seed(2);
        var expected = EpochPlanner.Plan(corpus, new SplitMix64(6), model, Retrieval with { Clips = Clips });
        Assert.Equal(expected.Select(b => string.Join(",", b)), plan.Select(b => string.Join(",", b)));
        Assert.All(plan, b => Assert.Equal(3, b.Count));
    }

    [Fact]
    public void AFeatureWidthOtherThanTheModelsIsAClearError()
    {
        string folder = Write(3, 0, dim: 12);
        var e = Assert.Throws<ArgumentException>(() => CorpusTrainingData.Open(folder, Clips, Retrieval, expectedFeatureDim: 8));
        Assert.Contains("12-wide", e.Message);
        Assert.Contains("8-wide", e.Message);
        Assert.Contains(folder, e.Message);
        Assert.Throws<DirectoryNotFoundException>(() => CorpusTrainingData.Open(Path.Combine(folder, "nothing"), Clips, Retrieval));
    }
}
