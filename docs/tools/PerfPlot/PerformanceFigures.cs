using System.Text.Json;
using System.Text.Json.Serialization;

namespace Norton.Docs.PerfPlot;

/// <summary>docs/performance.json: the benchmark figures that docs/performance.md reports.</summary>
public sealed record PerformanceFigures
{
    /// <summary>The plot's title.</summary>
    public string Title { get; init; } = "Norton for .NET";

    /// <summary>CPU, cores, threads, OS, .NET and TorchSharp versions the figures were measured with.</summary>
    public string Machine { get; init; } = "";

    /// <summary>Unit of <see cref="Result.Median"/> (e.g. "ms").</summary>
    public string Unit { get; init; } = "ms";

    /// <summary>One row per benchmark and implementation.</summary>
    public IReadOnlyList<Result> Results { get; init; } = [];

    /// <summary>One measured figure.</summary>
    /// <param name="Benchmark">What was measured (one group of bars).</param>
    /// <param name="Implementation">Who ran it (one bar per group; same name = same colour).</param>
    /// <param name="Median">Median time in <see cref="Unit"/>; null = not measured yet (skipped).</param>
    /// <param name="Command">The command line that produced the figure.</param>
    public sealed record Result(string Benchmark, string Implementation, double? Median, string Command);

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Reads and checks the file.</summary>
    /// <exception cref="InvalidDataException">The file is not a figures file, or a row lacks a name.</exception>
    public static PerformanceFigures Load(string path)
    {
        var figures = JsonSerializer.Deserialize<PerformanceFigures>(File.ReadAllText(path), Options)
            ?? throw new InvalidDataException($"{path} holds no figures object.");
        foreach (var r in figures.Results)
        {
            if (string.IsNullOrWhiteSpace(r.Benchmark) || string.IsNullOrWhiteSpace(r.Implementation))
                throw new InvalidDataException($"{path}: every result needs a benchmark and an implementation name; got {r}.");
            if (r.Median is double m && (!double.IsFinite(m) || m <= 0))
                throw new InvalidDataException($"{path}: the median of '{r.Benchmark}' / '{r.Implementation}' must be a positive number or null, not {m}.");
        }
        return figures;
    }
}
