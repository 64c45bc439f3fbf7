namespace Norton.Training;

/// <summary>How a call of <see cref="NortonTrainer.Train"/> ended.</summary>
/// <param name="Updates">Updates done in total (this call and any before a restore).</param>
/// <param name="Epoch">The epoch the run is in (or the last one finished + 1 when all epochs are done).</param>
/// <param name="Finished">All <c>max_epoch</c> epochs are done.</param>
/// <param name="BestValidationLoss">The lowest validation loss seen, or null.</param>
/// <param name="LastCheckpoint">The last checkpoint written, or null.</param>
public sealed record TrainingSummary(long Updates, int Epoch, bool Finished, double? BestValidationLoss, string? LastCheckpoint);
