namespace Norton.Models.Checkpoints;

/// <summary>What a successful <see cref="CheckpointLoader"/> call did.</summary>
/// <param name="Loaded">Module keys copied from the checkpoint.</param>
/// <param name="Missing">Module keys left as they were (only with <see cref="CheckpointLoadOptions.AllowMissing"/>,
/// or an absent <c>position_ids</c> buffer, which is always 0..max_pos−1).</param>
/// <param name="Unexpected">Checkpoint keys ignored (only with <see cref="CheckpointLoadOptions.AllowUnexpected"/>).</param>
/// <param name="Skipped">Checkpoint keys outside <see cref="CheckpointLoadOptions.Prefix"/>.</param>
public sealed record CheckpointLoadReport(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> Skipped);
