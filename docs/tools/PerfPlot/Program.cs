// Renders the benchmark figures of docs/performance.json as a grouped bar chart (docs/performance.png):
//   dotnet run --project docs/tools/PerfPlot -- docs/performance.json docs/performance.png
using Norton.Docs.PerfPlot;
using ScottPlot;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: PerfPlot <figures.json> <output.png>");
    return 64;
}

PerformanceFigures figures;
try
{
    figures = PerformanceFigures.Load(args[0]);
}
catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException)
{
    Console.Error.WriteLine($"PerfPlot: cannot read {args[0]}: {e.Message}");
    return 65;
}

var measured = figures.Results.Where(r => r.Median is not null).ToList();
if (measured.Count == 0)
{
    Console.Error.WriteLine($"PerfPlot: {args[0]} has no measured figures yet (every median is null): nothing to plot.");
    return 2;
}

var benchmarks = measured.Select(r => r.Benchmark).Distinct().ToList();
var implementations = measured.Select(r => r.Implementation).Distinct().ToList();
var palette = new ScottPlot.Palettes.Category10();

var plot = new Plot();
var bars = new List<Bar>();
const double groupWidth = 0.8;
double barWidth = groupWidth / implementations.Count;
for (int g = 0; g < benchmarks.Count; g++)
    for (int i = 0; i < implementations.Count; i++)
    {
        var row = measured.FirstOrDefault(r => r.Benchmark == benchmarks[g] && r.Implementation == implementations[i]);
        if (row is null) continue;
        bars.Add(new Bar
        {
            Position = g - groupWidth / 2 + barWidth * (i + 0.5),
            Value = row.Median!.Value,
            Size = barWidth * 0.9,
            FillColor = palette.GetColor(i),
            Label = row.Median.Value.ToString(row.Median.Value >= 100 ? "F0" : "G3", System.Globalization.CultureInfo.InvariantCulture),
        });
    }
var barPlot = plot.Add.Bars(bars);
barPlot.ValueLabelStyle.FontSize = 11;

plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
    Enumerable.Range(0, benchmarks.Count).Select(g => (double)g).ToArray(), benchmarks.ToArray());
plot.Axes.Bottom.MajorTickStyle.Length = 0;
plot.Axes.Margins(bottom: 0, top: 0.15);
plot.Axes.SetLimitsX(-0.6, benchmarks.Count - 0.4);
plot.YLabel($"median ({figures.Unit}), lower is better");
plot.Title(string.IsNullOrWhiteSpace(figures.Machine) ? figures.Title : $"{figures.Title}\n{figures.Machine}");
for (int i = 0; i < implementations.Count; i++)
    plot.Legend.ManualItems.Add(new LegendItem { LabelText = implementations[i], FillColor = palette.GetColor(i) });
plot.ShowLegend(Alignment.UpperLeft);

int width = Math.Max(640, 220 * benchmarks.Count);
plot.SavePng(args[1], width, 480);
Console.WriteLine($"PerfPlot: {measured.Count} figures of {benchmarks.Count} benchmarks -> {args[1]}");
return 0;
