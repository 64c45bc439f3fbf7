using Norton.Training;
using ScottPlot;

namespace Norton.Cli.Reporting;

/// <summary>Collects every update's losses and each epoch's validation loss; draws them as a PNG at the end.</summary>
internal sealed class LossCurve : ITrainingObserver
{
    private readonly List<UpdateRecord> _updates = [];
    private readonly List<(long Update, double Loss)> _validation = [];

    public IReadOnlyList<UpdateRecord> Updates => _updates;

    public IReadOnlyList<(long Update, double Loss)> Validation => _validation;

    public void OnUpdate(UpdateRecord record)
    {
        if (!record.Skipped) _updates.Add(record);
    }

    public void OnEpochEnd(int epoch, long update, double? validationLoss)
    {
        if (validationLoss is double v) _validation.Add((update, v));
    }

    public void OnCheckpoint(string path)
    {
    }

    /// <summary>Writes the curves (total, clip-caption, weighted video-paragraph, validation) to <paramref name="path"/>.</summary>
    public void Save(string path)
    {
        var plot = new Plot();
        double[] x = _updates.Select(u => (double)u.Update).ToArray();
        foreach (var (name, values) in new[]
                 {
                     ("loss", _updates.Select(u => u.Loss)),
                     ("clip-caption", _updates.Select(u => u.ClipCaptionLoss)),
                     ("video-paragraph (weighted)", _updates.Select(u => u.VideoParagraphLoss)),
                 })
        {
            var line = plot.Add.Scatter(x, values.ToArray());
            line.LegendText = name;
            line.MarkerSize = 0;
        }
        if (_validation.Count > 0)
        {
            var valid = plot.Add.Scatter(_validation.Select(v => (double)v.Update).ToArray(), _validation.Select(v => v.Loss).ToArray());
            valid.LegendText = "validation loss";
        }
        plot.Title("norton pretrain");
        plot.XLabel("update");
        plot.YLabel("loss");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 900, 500);
    }
}
