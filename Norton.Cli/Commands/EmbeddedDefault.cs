using Norton.Losses;
using Norton.Models.Bert;
using Norton.Models.VideoClip;
using Norton.Training;
using Norton.Training.Corpus;
using Norton.Training.Retrieval;
using Norton.Training.Sampling;

namespace Norton.Cli.Commands;

/// <summary>
/// What <c>norton pretrain</c> runs with no config and no corpus: the paper's recipe (loss, Adam, schedule shape,
/// clipping) on reduced towers trained from scratch and a small synthetic corpus, sized to finish in a few minutes on
/// two CPU cores with a visibly falling loss.
/// </summary>
internal static class EmbeddedDefault
{
    public const int ClipsPerVideo = 8;

    public const int FeatureDim = 32;

    /// <summary>Both towers read bert-base-uncased ids (the corpus's captions; the video tower checks them too).</summary>
    public static VideoClipConfig Model { get; } = new(
        new BertConfig(30522, 64, 2, 4, 128, 40), new BertConfig(30522, 64, 2, 4, 128, 40), maxVideoLen: 8, inputDim: FeatureDim);

    public static ClipSamplerOptions Clips { get; } = new()
    {
        ClipsPerVideo = ClipsPerVideo, SampledMinLength = 6, SampledMaxLength = 12, SampledVideoMinLength = 3, SampledVideoMaxLength = 8,
        MaxVideoLength = 8, MaxLength = 20,
    };

    public static RetrievalOptions Retrieval { get; } = new() { VideosPerBatch = 6, Candidates = 12, Centroids = 4, ExamplesPerCentroidToTrain = 8, Clips = Clips };

    /// <summary>The synthetic corpus the embedded default trains on, sized to its towers.</summary>
    public static SyntheticCorpusOptions Corpus(string split, int skip = 0) => new()
    {
        FeatureDim = FeatureDim, Steps = 16, MinSeconds = 24, MaxSeconds = 48, MinSegmentSeconds = 3, MaxSegmentSeconds = 6,
        Layout = new CorpusWriterOptions { Split = split }, SkipVideos = skip,
    };

    /// <summary>
    /// Writes the embedded default's corpus (48 train and 12 other val videos of the same steps) into <paramref name="folder"/>
    /// unless it is there already (a resumed run reads the same corpus); returns the folder.
    /// </summary>
    public static string WriteCorpus(string folder)
    {
        if (!File.Exists(CorpusLayout.MetaPath(folder, "train")) || !File.Exists(CorpusLayout.MetaPath(folder, "val")))
        {
            SyntheticCorpus.Write(folder, 12, seed: 1, Corpus("val", skip: 48)); // the same steps, other videos
            SyntheticCorpus.Write(folder, 48, seed: 1, Corpus("train")); // train's meta last: its presence means both are complete
        }
        return folder;
    }

    public static TrainerOptions Options(string output) => new()
    {
        Model = Model,
        LayerNormOnly = false,   // random towers: LayerNorms alone would learn too little to show
        Loss = NortonLossOptions.Paper with { Length = ClipsPerVideo },
        LearningRate = 2e-3,
        WarmupUpdates = 10,
        TotalNumUpdate = 200,
        MaxEpoch = 12,
        SaveIntervalUpdates = 24,
        KeepIntervalUpdates = 2,
        KeepLastEpochs = 2,
        LogInterval = 8,
        OutputDirectory = output,
    };
}
