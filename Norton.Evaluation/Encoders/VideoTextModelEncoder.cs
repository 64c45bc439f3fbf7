using Norton.Models;
using static TorchSharp.torch;

namespace Norton.Evaluation.Encoders;

/// <summary>
/// <see cref="VideoTextModel"/> in eval mode and without gradients (the original's predictors), on the model's
/// device; results come back to the CPU.
/// </summary>
public sealed class VideoTextModelEncoder : IZeroShotEncoder
{
    private readonly VideoTextModel _model;
    private readonly Device _device;

    /// <summary>Wraps a model and puts it in eval mode.</summary>
    /// <param name="model">The two towers, weights loaded.</param>
    /// <param name="device">Where the model lives (CPU when null).</param>
    public VideoTextModelEncoder(VideoTextModel model, Device? device = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _device = device ?? CPU;
        _model.eval();
    }

    /// <inheritdoc />
    public int InputDim => _model.Config.InputDim;

    /// <inheritdoc />
    public Tensor EncodeText(Tensor caps, Tensor cmasks)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var encoded = _model.TextTower.forward(caps.to(_device), cmasks.to(_device));
        return encoded.Pooled.to(ScalarType.Float32).cpu().clone().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public (Tensor Pooled, Tensor Tokens) EncodeVideo(Tensor vfeats, Tensor vmasks, Tensor caps, Tensor cmasks)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var encoded = _model.VideoTower.forward(vfeats.to(_device), vmasks.to(_device), caps.to(_device), cmasks.to(_device));
        return (encoded.Pooled.to(ScalarType.Float32).cpu().clone().MoveToOuterDisposeScope(),
                encoded.Frames!.to(ScalarType.Float32).cpu().clone().MoveToOuterDisposeScope());
    }
}
