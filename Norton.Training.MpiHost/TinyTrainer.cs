using Norton.Losses;
using Norton.Models;
using Norton.Models.Bert;
using Norton.Models.VideoClip;
using TorchSharp;

namespace Norton.Training.MpiHost;

/// <summary>
/// The <c>trainer</c> scenarios' recipe: NortonTrainer's tiny test model on the in-memory synthetic corpus. 8 training
/// videos in batches of 2: with 2 ranks each plans 2 batches of its 4 videos, the gathered list holds 4, an epoch is
/// 2 steps, so 3 updates cross an epoch boundary (re-planning, averaged validation, the epoch checkpoint).
/// </summary>
public static class TinyTrainer
{
    public const int Clips = 4;

    public static TrainerOptions Options(string output, long maxUpdates, int saveInterval) => new()
    {
        Model = new VideoClipConfig(new BertConfig(256, 16, 1, 2, 32, 24), new BertConfig(256, 16, 2, 2, 32, 24), maxVideoLen: 6, inputDim: 8),
        Loss = NortonLossOptions.Paper with { Length = Clips, SinkhornIterations = 10 },
        LearningRate = 1e-2,
        WarmupUpdates = 2,
        TotalNumUpdate = 1000,
        OutputDirectory = output,
        SaveIntervalUpdates = saveInterval,
        TensorBoard = false,
        LogInterval = 1,
        Seed = 5,
        MaxUpdates = maxUpdates,
    };

    public static SyntheticTrainingData Data() =>
        new(videos: 8, validationVideos: 4, videosPerBatch: 2, clipsPerVideo: Clips, textLength: 9, videoLength: 6, featureDim: 8, steps: 8);

    /// <summary>The trained parameters (requires_grad, in the optimiser's order), flattened.</summary>
    public static float[] Flatten(VideoTextModel model)
    {
        using var scope = torch.NewDisposeScope();
        var trained = model.parameters().Where(p => p.requires_grad).Select(p => p.detach().reshape(-1)).ToArray();
        return torch.cat(trained).to(torch.ScalarType.Float32).cpu().data<float>().ToArray();
    }

    public static void WriteFloats(string path, float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(path, bytes);
    }
}
