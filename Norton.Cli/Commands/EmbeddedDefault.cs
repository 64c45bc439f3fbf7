using Norton.Losses;
using Norton.Models.Bert;
using Norton.Models.VideoClip;
using Norton.Training;

namespace Norton.Cli.Commands;

/// <summary>
/// What <c>norton pretrain</c> runs with no config and no corpus: the paper's recipe (loss, Adam, schedule shape,
/// clipping) on reduced towers trained from scratch and a small synthetic corpus, sized to finish in a few minutes on
/// two CPU cores with a visibly falling loss.
/// </summary>
internal static class EmbeddedDefault
{
    public const int ClipsPerVideo = 8;

    public static VideoClipConfig Model { get; } = new(
        new BertConfig(256, 64, 2, 4, 128, 40), new BertConfig(256, 64, 2, 4, 128, 40), maxVideoLen: 8, inputDim: 32);

    public static SyntheticTrainingData Data() =>
        new(videos: 48, validationVideos: 12, videosPerBatch: 6, clipsPerVideo: ClipsPerVideo, textLength: 12, videoLength: 8, featureDim: 32, steps: 16);

    public static TrainerOptions Options(string output) => new()
    {
        Model = Model,
        LayerNormOnly = false,   // random towers: LayerNorms alone would learn too little to show
        Loss = NortonLossOptions.Paper with { Length = ClipsPerVideo },
        LearningRate = 2e-3,
        WarmupUpdates = 10,
        TotalNumUpdate = 200,
        MaxEpoch = 6,
        SaveIntervalUpdates = 24,
        KeepIntervalUpdates = 2,
        KeepLastEpochs = 2,
        LogInterval = 8,
        OutputDirectory = output,
    };
}
