namespace Norton.Demo.Training;

/// <summary>What one epoch of a run produced: its mean training loss and the held-out clip R@1 after it.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Loss">Mean loss over the epoch's batches (noisy pairs).</param>
/// <param name="TestClipR1">Caption-to-clip R@1 on the held-out videos after the epoch (clean truth).</param>
internal readonly record struct EpochRecord(int Epoch, double Loss, double TestClipR1);
