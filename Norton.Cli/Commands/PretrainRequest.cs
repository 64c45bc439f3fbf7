using Norton.Training;

namespace Norton.Cli.Commands;

/// <summary>The parsed arguments of <c>norton pretrain</c>.</summary>
internal sealed record PretrainRequest
{
    public string? ConfigPath { get; init; }
    public string? Corpus { get; init; }
    public string? Checkpoint { get; init; }
    public string? Output { get; init; }
    public bool Restore { get; init; }
    public long? MaxUpdates { get; init; }
    public string Device { get; init; } = "cpu";
    public TrainingPrecision? Precision { get; init; }
    public bool Recompute { get; init; }
    public bool PlainLog { get; init; }
}
