using System.Buffers.Binary;
using Xunit;

namespace Norton.Packaging.Tests;

/// <summary>docs/tools/PerfPlot turns the figures file of docs/performance.md into its plot.</summary>
public sealed class PerformancePlotTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly string Project = Path.Combine(RepositoryLayout.Root, "docs", "tools", "PerfPlot");

    [Fact]
    public void PerfPlot_renders_figures_and_reads_the_committed_file()
    {
        string work = Path.Combine(Path.GetTempPath(), "norton-perfplot-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            var build = ProcessRunner.Dotnet(RepositoryLayout.Root, Timeout, null, "build", Project, "-c", "Release", "--disable-build-servers", "-nologo");
            Assert.True(build.Succeeded, build.Describe());

            // Three benchmarks, two implementations, one figure not measured yet (null: left out).
            string figures = Path.Combine(work, "figures.json");
            File.WriteAllText(figures, """
                { "title": "t", "machine": "m", "unit": "ms", "results": [
                  { "benchmark": "a", "implementation": "x", "median": 10, "command": "c" },
                  { "benchmark": "a", "implementation": "y", "median": 20, "command": "c" },
                  { "benchmark": "b", "implementation": "x", "median": 5, "command": "c" },
                  { "benchmark": "c", "implementation": "y", "median": null, "command": "c" } ] }
                """);
            string png = Path.Combine(work, "plot.png");
            var run = Plot(figures, png);
            Assert.True(run.Succeeded, run.Describe());
            Assert.Contains("3 figures of 2 benchmarks", run.Output);
            byte[] bytes = File.ReadAllBytes(png);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            Assert.Equal(640, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));   // IHDR width: max(640, 220 per benchmark)
            Assert.Equal(480, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));

            // The committed file parses: either figures to plot (0) or "none measured yet" (2), never a format error.
            var committed = Plot(Path.Combine(RepositoryLayout.Root, "docs", "performance.json"), Path.Combine(work, "committed.png"));
            Assert.True(!committed.TimedOut && committed.ExitCode is 0 or 2, committed.Describe());

            // A broken file is refused with a message, not a crash.
            File.WriteAllText(figures, """{ "results": [ { "benchmark": "a", "implementation": "x", "median": -1, "command": "c" } ] }""");
            var bad = Plot(figures, png);
            Assert.Equal(65, bad.ExitCode);
            Assert.Contains("must be a positive number", bad.Output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static ProcessResult Plot(string figures, string png) =>
        ProcessRunner.Dotnet(RepositoryLayout.Root, Timeout, null, "run", "--project", Project, "-c", "Release", "--no-build", "--", figures, png);
}
