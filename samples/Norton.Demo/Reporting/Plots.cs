using Norton.Demo.Training;
using Norton.Evaluation.Alignment;
using ScottPlot;

namespace Norton.Demo.Reporting;

/// <summary>The PNG plots: the training curves of both runs and one video's OT plan with the prompt bucket.</summary>
internal static class Plots
{
    /// <summary>Training loss and held-out clip R@1 per epoch, both runs; returns the file's path.</summary>
    public static string TrainingCurves(string folder, IReadOnlyList<EpochRecord> norton, IReadOnlyList<EpochRecord> infoNce)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var loss = multiplot.GetPlot(0);
        var recall = multiplot.GetPlot(1);
        foreach (var (name, history, color) in new[] { ("Norton", norton, Colors.C0), ("InfoNCE", infoNce, Colors.C1) })
        {
            double[] epochs = history.Select(e => (double)e.Epoch).ToArray();
            var l = loss.Add.Scatter(epochs, history.Select(e => e.Loss).ToArray(), color);
            l.LegendText = name;
            var r = recall.Add.Scatter(epochs, history.Select(e => e.TestClipR1).ToArray(), color);
            r.LegendText = name;
        }
        loss.Title("Training loss (noisy pairs)");
        loss.XLabel("epoch");
        loss.YLabel("loss (Norton: clip + 0.1 x video-paragraph)");
        loss.ShowLegend(Alignment.UpperRight);
        recall.Title("Held-out clip R@1 (clean truth)");
        recall.XLabel("epoch");
        recall.YLabel("R@1");
        recall.ShowLegend(Alignment.LowerRight);
        string path = Path.Combine(folder, "training_curves.png");
        multiplot.SavePng(path, 1200, 500);
        return path;
    }

    /// <summary>
    /// The (captions + bucket) x (clips + bucket) plan of one video as a heatmap, with the true caption-clip pairs
    /// marked; returns the file's path.
    /// </summary>
    public static string AlignmentHeatmap(string folder, string fileName, string title, ZeroShotAlignment alignment, int[] truth)
    {
        int rows = (int)alignment.AugmentedPlan.shape[0], columns = (int)alignment.AugmentedPlan.shape[1];
        double[] flat;
        using (var plan = alignment.AugmentedPlan.to(TorchSharp.torch.ScalarType.Float64).cpu())
            flat = plan.data<double>().ToArray();
        // ScottPlot draws the first row of the array at the top of the extent, which the flipped y axis shows at the
        // bottom: store the rows upside down so that caption 0 is the top row. The bucket-bucket corner only takes
        // what is left over; it is left blank so that it does not set the colour scale.
        var values = new double[rows, columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                values[rows - 1 - r, c] = r == rows - 1 && c == columns - 1 ? double.NaN : flat[r * columns + c];

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.NaNCellColor = Colors.LightGray;
        heatmap.Extent = new CoordinateRect(-0.5, columns - 0.5, rows - 0.5, -0.5);
        plot.Add.ColorBar(heatmap).Label = "(m+n) P";
        for (int caption = 0; caption < truth.Length; caption++)
        {
            int clip = truth[caption] >= 0 ? truth[caption] : columns - 1;
            var marker = plot.Add.Marker(clip, caption, MarkerShape.OpenSquare, 18, Colors.Red);
            if (caption == 0) marker.LegendText = "ground truth (last column: no clip)";
        }
        plot.Axes.Bottom.TickGenerator = Ticks(columns, "bucket");
        plot.Axes.Left.TickGenerator = Ticks(rows, "bucket");
        plot.Axes.SetLimits(-0.5, columns - 0.5, rows - 0.5, -0.5);
        plot.XLabel("clip");
        plot.YLabel("caption");
        plot.Title(title);
        plot.ShowLegend(Edge.Bottom);
        string path = Path.Combine(folder, fileName);
        plot.SavePng(path, 700, 700);
        return path;
    }

    private static ScottPlot.TickGenerators.NumericManual Ticks(int count, string last)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < count; i++)
            ticks.AddMajor(i, i == count - 1 ? last : i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return ticks;
    }
}
