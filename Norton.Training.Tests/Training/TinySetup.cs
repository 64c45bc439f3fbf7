using Norton.Losses;
using Norton.Models.Bert;
using Norton.Models.VideoClip;

namespace Norton.Training.Tests.Training;

/// <summary>A model and corpus small enough for a few updates in well under a second each.</summary>
internal static class TinySetup
{
    public const int Clips = 4;

    public static VideoClipConfig Model { get; } = new(
        new BertConfig(256, 16, 1, 2, 32, 24), new BertConfig(256, 16, 2, 2, 32, 24), maxVideoLen: 6, inputDim: 8);

    public static SyntheticTrainingData Data(int videos = 12, int validation = 4) =>
        new(videos, validation, videosPerBatch: 2, clipsPerVideo: Clips, textLength: 9, videoLength: 6, featureDim: 8, steps: 8);

    public static TrainerOptions Options(string output) => new()
    {
        Model = Model,
        Loss = NortonLossOptions.Paper with { Length = Clips, SinkhornIterations = 10 },
        LearningRate = 1e-2,
        WarmupUpdates = 2,
        TotalNumUpdate = 1000,
        OutputDirectory = output,
        SaveIntervalUpdates = 0,
        TensorBoard = false,
        LogInterval = 1,
        Seed = 5,
    };

    public static string TempFolder()
    {
        string path = Path.Combine(Path.GetTempPath(), "norton-training-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
