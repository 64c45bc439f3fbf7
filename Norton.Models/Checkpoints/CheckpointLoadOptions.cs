namespace Norton.Models.Checkpoints;

/// <summary>How <see cref="CheckpointLoader"/> maps checkpoint keys onto a module. Immutable.</summary>
/// <param name="Prefix">Use only checkpoint keys that start with this prefix, with the prefix removed (e.g.
/// <c>"video_encoder."</c> to load one tower from a full checkpoint); other keys are skipped, not unexpected.</param>
/// <param name="AllowMissing">Keep the module's own values for keys the checkpoint lacks (the original loader's
/// <c>strict=False</c>) instead of failing.</param>
/// <param name="AllowUnexpected">Ignore checkpoint keys the module lacks (e.g. the COIN <c>classifier</c>) instead of failing.</param>
public sealed record CheckpointLoadOptions(string Prefix = "", bool AllowMissing = false, bool AllowUnexpected = false)
{
    /// <summary>Strict: every module key must come from the checkpoint and every checkpoint key must be used.</summary>
    public static CheckpointLoadOptions Strict { get; } = new();
}
