using System.Text.Json;
using Norton.Demo.Reporting;
using Xunit;

namespace Norton.Demo.Tests;

public sealed class DemoRunTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "norton-demo-tests-" + Guid.NewGuid().ToString("N"));

    private DemoOptions Tiny(string name) => new()
    {
        Videos = 8, TestVideos = 4, Epochs = 1, BatchVideos = 4, Frames = 4, Words = 4, Seed = 5,
        Output = Path.Combine(_folder, name),
    };

    [Fact]
    public void ATinyRunWritesResultsWithEveryKeyAndThePlots()
    {
        var outcome = DemoRun.Execute(Tiny("tiny"), interactive: false);

        using var json = JsonDocument.Parse(File.ReadAllText(outcome.ResultsPath));
        Assert.Equal(Path.Combine(_folder, "tiny", "results.json"), outcome.ResultsPath);
        foreach (string method in new[] { "norton", "infonce" })
        {
            var m = json.RootElement.GetProperty(method);
            foreach (string key in ResultsFile.MetricKeys)
            {
                double v = m.GetProperty(key).GetDouble();
                Assert.InRange(v, 0, 1);
            }
            var arguments = m.GetProperty("arguments");
            Assert.Equal(5, arguments.GetProperty("seed").GetInt32());
            Assert.Equal(8, arguments.GetProperty("videos").GetInt32());
            Assert.Equal(1, arguments.GetProperty("epochs").GetInt32());
        }
        Assert.Equal(3, outcome.Plots.Count);
        foreach (string png in outcome.Plots)
        {
            var header = File.ReadAllBytes(png).Take(4).ToArray();
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, header);
        }
    }

    [Fact]
    public void ASeedGivesTheSameResultsAndAnotherSeedOthers()
    {
        var first = DemoRun.Execute(Tiny("a") with { NoPlots = true }, interactive: false);
        var second = DemoRun.Execute(Tiny("b") with { NoPlots = true }, interactive: false);
        var other = DemoRun.Execute(Tiny("c") with { NoPlots = true, Seed = 6 }, interactive: false);
        Assert.Equal(first.Norton, second.Norton);
        Assert.Equal(first.InfoNce, second.InfoNce);
        Assert.NotEqual(first.Norton.BucketValue, other.Norton.BucketValue);
    }

    [Fact]
    public void SideBySideGivesTheNumbersOfTheSerialRuns()
    {
        // Two training threads, and this test's allocating thread: the runs neither crash (no temporary Scalar) nor
        // disturb each other (each reads only its own model, loss, optimiser and batch-order generator).
        var sideBySide = DemoRun.Execute(Tiny("parallel") with { NoPlots = true, Epochs = 2 }, interactive: false);
        var serial = DemoRun.Execute(Tiny("serial") with { NoPlots = true, Epochs = 2, Serial = true }, interactive: false);
        Assert.Equal(serial.Norton, sideBySide.Norton);
        Assert.Equal(serial.InfoNce, sideBySide.InfoNce);
        Assert.NotEqual(serial.Norton, serial.InfoNce);
    }

    [Fact]
    public void WithOnlyIrrelevantCaptionsTheUndefinedFiguresAreNull()
    {
        var outcome = DemoRun.Execute(Tiny("noise") with { Irrelevant = 1, NoPlots = true }, interactive: false);

        using var json = JsonDocument.Parse(File.ReadAllText(outcome.ResultsPath));
        var norton = json.RootElement.GetProperty("norton");
        Assert.Equal(JsonValueKind.Null, norton.GetProperty("clip_r1").ValueKind);
        Assert.Equal(JsonValueKind.Null, norton.GetProperty("alignment_recall").ValueKind);
        Assert.InRange(norton.GetProperty("paragraph_r1").GetDouble(), 0, 1);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
