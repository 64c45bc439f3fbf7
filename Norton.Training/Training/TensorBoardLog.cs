using TorchSharp;
using TorchSharp.Modules;

namespace Norton.Training;

/// <summary>
/// TensorBoard event files (TorchSharp's <c>SummaryWriter</c>): on every log step <c>train/loss</c>,
/// <c>train/clip_caption</c>, <c>train/video_paragraph</c>, <c>train/lr</c>, <c>train/gnorm</c>, <c>train/prompt</c>,
/// <c>train/ups</c> (and <c>train/loss_scale</c> in half precision); <c>valid/loss</c> at each epoch end.
/// </summary>
public sealed class TensorBoardLog : ITrainingObserver
{
    private readonly SummaryWriter _writer;

    /// <summary>Writes event files into <paramref name="directory"/> (created when missing).</summary>
    public TensorBoardLog(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        _writer = torch.utils.tensorboard.SummaryWriter(directory);
    }

    /// <summary>The folder of the event files.</summary>
    public string LogDirectory => _writer.LogDir;

    /// <inheritdoc />
    public void OnUpdate(UpdateRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.IsLogStep) return;
        int step = checked((int)record.Update);
        _writer.add_scalar("train/loss", (float)record.Loss, step);
        _writer.add_scalar("train/clip_caption", (float)record.ClipCaptionLoss, step);
        _writer.add_scalar("train/video_paragraph", (float)record.VideoParagraphLoss, step);
        _writer.add_scalar("train/lr", (float)record.LearningRate, step);
        _writer.add_scalar("train/gnorm", (float)record.GradientNorm, step);
        if (record.PromptValue is double p) _writer.add_scalar("train/prompt", (float)p, step);
        _writer.add_scalar("train/ups", (float)record.UpdatesPerSecond, step);
        if (record.LossScale != 1) _writer.add_scalar("train/loss_scale", (float)record.LossScale, step);
    }

    /// <inheritdoc />
    public void OnEpochEnd(int epoch, long update, double? validationLoss)
    {
        if (validationLoss is double v) _writer.add_scalar("valid/loss", (float)v, checked((int)update));
    }

    /// <inheritdoc />
    public void OnCheckpoint(string path)
    {
    }
}
