using Norton.Evaluation.Metrics;
using Norton.Evaluation.Runners;
using ScottPlot;

namespace Norton.Cli.Evaluate;

/// <summary>Plots where one helps: COIN's segmentation of one video, HTM-Align's similarity of one video.</summary>
internal static class EvaluationPlots
{
    /// <summary>Draws what the result carries; returns the files written.</summary>
    public static IReadOnlyList<string> Draw(string folder, EvaluationResult result)
    {
        var files = new List<string>();
        if (result.Segmentation is { } segmentation)
            files.Add(Segmentation(folder, segmentation));
        if (result.Alignment is { } alignment)
            files.Add(Alignment(folder, alignment));
        return files;
    }

    /// <summary>Two bands over time, ground truth on top and prediction below, coloured by step (0 = background).</summary>
    private static string Segmentation(string folder, SegmentationExample example)
    {
        int seconds = example.Target.Count;
        var values = new double[2, seconds];
        for (int t = 0; t < seconds; t++)
        {
            // ScottPlot draws the array's first row at the top of the extent: truth first, prediction below.
            values[0, t] = example.Target[t] == 0 ? double.NaN : example.Target[t];
            values[1, t] = example.Predicted[t] == 0 ? double.NaN : example.Predicted[t];
        }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Turbo();
        heatmap.NaNCellColor = Colors.LightGray;
        heatmap.Extent = new CoordinateRect(0, seconds, 0, 2);
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        ticks.AddMajor(0.5, "predicted");
        ticks.AddMajor(1.5, "ground truth");
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimits(0, seconds, 0, 2);
        plot.XLabel("second");
        plot.Title($"COIN zero-shot segmentation of {example.VideoId} (colour = step, grey = background)");
        string path = Path.Combine(folder, "coin_segmentation.png");
        plot.SavePng(path, 1000, 300);
        return path;
    }

    /// <summary>The texts × seconds similarity, uncovered cells grey, each alignable text's true span boxed.</summary>
    private static string Alignment(string folder, AlignmentExample example)
    {
        int rows = example.Similarity.GetLength(0), seconds = example.Similarity.GetLength(1);
        var values = new double[rows, seconds];
        for (int r = 0; r < rows; r++)
            for (int t = 0; t < seconds; t++)
            {
                float v = example.Similarity[r, t];
                // Rows stored upside down so that text 0 is the top row under the flipped y axis.
                values[rows - 1 - r, t] = v == 0f ? double.NaN : v;
            }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.NaNCellColor = Colors.LightGray;
        heatmap.Extent = new CoordinateRect(0, seconds, rows, 0);
        plot.Add.ColorBar(heatmap).Label = "cosine similarity";
        for (int r = 0; r < rows; r++)
        {
            AlignmentText text = example.Texts[r];
            if (!text.Alignable) continue;
            var box = plot.Add.Rectangle(Math.Floor(text.Start), Math.Ceiling(text.End) + 1, r, r + 1);
            box.FillStyle.Color = Colors.Transparent;
            box.LineStyle.Color = Colors.Red;
            box.LineStyle.Width = 2;
        }
        plot.Axes.SetLimits(0, seconds, rows, 0);
        plot.XLabel("second");
        plot.YLabel("text");
        plot.Title($"HTM-Align similarity of {example.VideoId} (red: annotated span)");
        string path = Path.Combine(folder, "htm_align_heatmap.png");
        plot.SavePng(path, 1000, Math.Max(300, 40 + 20 * rows));
        return path;
    }
}
