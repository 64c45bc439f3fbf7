namespace Norton.Training;

/// <summary>Receives the trainer's events on the training thread (logs, progress displays, plots).</summary>
public interface ITrainingObserver
{
    /// <summary>After every update (applied or skipped).</summary>
    void OnUpdate(UpdateRecord record);

    /// <summary>After an epoch's validation; <paramref name="validationLoss"/> is null without a validation split.</summary>
    void OnEpochEnd(int epoch, long update, double? validationLoss);

    /// <summary>After a checkpoint file was written.</summary>
    void OnCheckpoint(string path);
}
