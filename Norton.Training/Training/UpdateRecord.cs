namespace Norton.Training;

/// <summary>What one update measured; handed to every <see cref="ITrainingObserver"/>.</summary>
/// <param name="Update">Updates done after this one (1 for the first).</param>
/// <param name="Epoch">The epoch (from 1).</param>
/// <param name="BatchIndex">The batch's position in the epoch's plan (from 0).</param>
/// <param name="BatchesInEpoch">Batches in the epoch's plan.</param>
/// <param name="Loss">The total loss.</param>
/// <param name="ClipCaptionLoss">The clip-caption part.</param>
/// <param name="VideoParagraphLoss">The weighted video-paragraph part (0 without that branch).</param>
/// <param name="LearningRate">The rate this update used.</param>
/// <param name="GradientNorm">The gradient norm before clipping (unscaled).</param>
/// <param name="PromptValue">The prompt bucket's value, on log steps (null otherwise or without a bucket).</param>
/// <param name="UpdatesPerSecond">Updates per second over the last log interval.</param>
/// <param name="LossScale">The dynamic loss scale (1 in float32).</param>
/// <param name="Skipped">The gradients overflowed: the update was not applied (half precision only).</param>
/// <param name="IsLogStep">Whether this update is on the log interval (or the first).</param>
public sealed record UpdateRecord(
    long Update,
    int Epoch,
    int BatchIndex,
    int BatchesInEpoch,
    double Loss,
    double ClipCaptionLoss,
    double VideoParagraphLoss,
    double LearningRate,
    double GradientNorm,
    double? PromptValue,
    double UpdatesPerSecond,
    double LossScale,
    bool Skipped,
    bool IsLogStep);
