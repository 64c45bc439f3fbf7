using System.Globalization;

namespace Norton.Training;

/// <summary>
/// One line per log step, per epoch end and per checkpoint, for CI logs and pipes, e.g.
/// <c>epoch 1 | update 100 | loss 4.1234 | clip_caption 4.0012 | video_paragraph 0.1222 | lr 1e-06 | gnorm 0.873 | prompt 0.412 | ups 2.31</c>.
/// </summary>
public sealed class PlainLineLog : ITrainingObserver
{
    private readonly TextWriter _writer;

    /// <summary>Writes to <paramref name="writer"/> (flushed after each line).</summary>
    public PlainLineLog(TextWriter writer) => _writer = writer ?? throw new ArgumentNullException(nameof(writer));

    /// <inheritdoc />
    public void OnUpdate(UpdateRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.IsLogStep && !record.Skipped) return;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"epoch {record.Epoch} | update {record.Update} | loss {record.Loss:F4} | clip_caption {record.ClipCaptionLoss:F4} | video_paragraph {record.VideoParagraphLoss:F4} | lr {record.LearningRate:G4} | gnorm {record.GradientNorm:G4}");
        if (record.PromptValue is double p) line += string.Create(CultureInfo.InvariantCulture, $" | prompt {p:G4}");
        line += string.Create(CultureInfo.InvariantCulture, $" | ups {record.UpdatesPerSecond:F2}");
        if (record.LossScale != 1) line += string.Create(CultureInfo.InvariantCulture, $" | loss_scale {record.LossScale:G}");
        if (record.Skipped) line += " | overflow, update skipped";
        Write(line);
    }

    /// <inheritdoc />
    public void OnEpochEnd(int epoch, long update, double? validationLoss) =>
        Write(validationLoss is double v
            ? string.Create(CultureInfo.InvariantCulture, $"epoch {epoch} done | update {update} | valid_loss {v:F4}")
            : string.Create(CultureInfo.InvariantCulture, $"epoch {epoch} done | update {update}"));

    /// <inheritdoc />
    public void OnCheckpoint(string path) => Write($"saved {path}");

    private void Write(string line)
    {
        _writer.WriteLine(line);
        _writer.Flush();
    }
}
