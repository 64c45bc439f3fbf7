namespace Norton.Training.Config;

/// <summary>A pretraining config as read from the original's YAML (see <see cref="PretrainConfigReader"/>).</summary>
/// <param name="SourcePath">The config file.</param>
/// <param name="Trainer">The trainer's options (model, loss, optimiser, schedule, checkpoints).</param>
/// <param name="Dataset">The data side's settings.</param>
/// <param name="UnusedKeys">Keys the file sets that this port does not use (slurm, fairseq internals, class
/// names), each with its value; the reader's caller warns about them once.</param>
public sealed record PretrainConfig(
    string SourcePath,
    TrainerOptions Trainer,
    DatasetSettings Dataset,
    IReadOnlyList<string> UnusedKeys);
