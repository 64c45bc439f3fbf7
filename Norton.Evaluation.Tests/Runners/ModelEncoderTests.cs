using System.Text.Json;
using Norton.Evaluation.Encoders;
using Norton.Evaluation.Metrics;
using Norton.Evaluation.Runners;
using Norton.Models;
using Norton.Models.Bert;
using Norton.Models.VideoClip;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Evaluation.Tests.Runners;

/// <summary>
/// The runners with the real model: a small random VideoTextModel saved as a checkpoint, sized back from the file,
/// gives the metrics that the same model's forward on the golden tensors gives.
/// </summary>
public sealed class ModelEncoderTests
{
    internal static VideoClipConfig SmallConfig(int maxVideoLength) => new(
        new BertConfig(30522, 64, 1, 1, 128, 40), new BertConfig(30522, 64, 1, 1, 128, 100), maxVideoLength, inputDim: 8);

    [Fact]
    public void CheckpointSizesTheModelAndRetrievalMatchesTheDirectForward()
    {
        using var dir = new TempFolder();
        manual_seed(11);
        using var source = new VideoTextModel(SmallConfig(32));
        source.eval();
        string checkpoint = Path.Combine(dir.Path, "checkpoint_small.pt");
        source.save_py(checkpoint);

        using var loaded = ModelCheckpoint.Load(checkpoint, 32);
        Assert.Equal(SmallConfig(32), loaded.Config);

        var (config, data, doc) = DownstreamGolden.Load(DownstreamGolden.Case("vtt"));
        using var _ = doc;
        EvaluationResult result = ZeroShotTasks.Create(config, data).Run(new VideoTextModelEncoder(loaded));

        var items = doc.RootElement.GetProperty("expected").EnumerateArray().ToArray();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor caps = Stack(items, "caps", ScalarType.Int64), cmasks = Stack(items, "cmasks", ScalarType.Bool);
        Tensor vfeats = Stack(items, "vfeats", ScalarType.Float32), vmasks = Stack(items, "vmasks", ScalarType.Bool);
        using var output = source.forward(caps, cmasks, vfeats, vmasks);
        var expected = TextToVideoRetrieval.Evaluate(output.Text.Pooled.matmul(output.Video.Pooled.t()));

        Assert.Equal(expected.R1, result["R1"]);
        Assert.Equal(expected.R5, result["R5"]);
        Assert.Equal(expected.MedianRank, result["MR"]);
    }

    [Fact]
    public void TheOriginalSizesAreReadBackFromAFullStateDict()
    {
        using var model = new VideoTextModel(VideoClipConfig.Full(32), META);
        var state = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(VideoClipConfig.Full(32), ModelCheckpoint.InferConfig(state, "full.pt", 32));

        state.Remove("video_encoder.videomlp.linear1.weight");
        var e = Assert.Throws<Norton.Models.Checkpoints.CheckpointFormatException>(() => ModelCheckpoint.InferConfig(state, "full.pt", 32));
        Assert.Contains("video_encoder.videomlp.linear1.weight", e.Message);
    }

    private static Tensor Stack(JsonElement[] items, string key, ScalarType type)
    {
        var tensors = items.Select(i =>
        {
            var (values, shape) = DownstreamGolden.Flatten(i.GetProperty(key));
            return tensor(values, shape).to(type);
        }).ToArray();
        return stack(tensors);
    }
}
