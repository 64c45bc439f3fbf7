using Norton.Models;
using Norton.Models.VideoClip;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Training.Tests.Training;

public sealed class LayerNormSelectionTests
{
    // γ and β (2·D each LayerNorm) of: per text layer 2, text embeddings 1, per video layer 2, video embeddings 1,
    // the video MLP's LayerNorm 1.
    private static long Expected(VideoClipConfig c) =>
        (2L * c.Text.NumHiddenLayers + 1 + 2L * c.Video.NumHiddenLayers + 1 + 1) * 2 * c.Video.HiddenSize;

    [Fact]
    public void FullSizeTrainsExactly59904LayerNormParameters()
    {
        var config = VideoClipConfig.Full(16);
        using var model = new VideoTextModel(config, META);
        long trainable = model.UseLayerNormOnly();
        Assert.Equal(59_904, trainable);
        Assert.Equal(Expected(config), trainable);
        Assert.All(model.named_parameters().Where(p => p.parameter.requires_grad), p => Assert.Equal("LayerNorm", p.name.Split('.')[^2]));
    }

    [Fact]
    public void TrainerHandsOnlyTheLayerNormsToTheOptimiser()
    {
        using var trainer = new NortonTrainer(TinySetup.Options(TinySetup.TempFolder()), TinySetup.Data());
        Assert.Equal(Expected(TinySetup.Model), trainer.TrainedParameterCount);
        Assert.Equal(trainer.TrainedParameterCount, trainer.Model.parameters().Where(p => p.requires_grad).Sum(p => p.numel()));
    }
}
