using System.Globalization;
using Norton.Training;

namespace Norton.Cli.Reporting;

/// <summary>An interactive progress line, redrawn in place after every update (one thread: the trainer's).</summary>
internal sealed class ConsoleProgress(TextWriter writer) : ITrainingObserver
{
    private int _width;

    public void OnUpdate(UpdateRecord record)
    {
        double done = (record.BatchIndex + 1) / (double)Math.Max(record.BatchesInEpoch, 1);
        int filled = (int)Math.Round(done * 20);
        string line = string.Create(CultureInfo.InvariantCulture,
            $"epoch {record.Epoch} [{new string('#', filled)}{new string('.', 20 - filled)}] {record.BatchIndex + 1}/{record.BatchesInEpoch} | update {record.Update} | loss {record.Loss:F4} | lr {record.LearningRate:G3} | {record.UpdatesPerSecond:F2} upd/s");
        writer.Write('\r' + line.PadRight(_width));
        _width = line.Length;
        writer.Flush();
    }

    public void OnEpochEnd(int epoch, long update, double? validationLoss)
    {
        writer.WriteLine();
        writer.WriteLine(validationLoss is double v
            ? string.Create(CultureInfo.InvariantCulture, $"epoch {epoch} done: validation loss {v:F4}")
            : $"epoch {epoch} done");
        _width = 0;
    }

    public void OnCheckpoint(string path)
    {
    }
}
