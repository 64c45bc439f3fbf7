using Norton.Models;
using Norton.Training.Batching;
using Norton.Training.Sampling;

namespace Norton.Training;

/// <summary>
/// What <see cref="NortonTrainer"/> asks of the data side: an epoch's batch plan, one batch's arrays, the validation
/// batches. Every random choice goes through the <see cref="IRandomSource"/> the trainer passes, so that a checkpoint
/// (which stores the plan and the trainer's source) resumes the same batches.
/// </summary>
public interface ITrainingData
{
    /// <summary>Width of one video feature (must equal the model's input width).</summary>
    int FeatureDim { get; }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/> (from 1), each a list of video ids. With
    /// <paramref name="retrieval"/> (epochs &gt;= <c>retri_epoch</c>) the batches group each video with its nearest
    /// neighbours under <paramref name="model"/>; otherwise a shuffle.
    /// </summary>
    IReadOnlyList<IReadOnlyList<string>> PlanEpoch(int epoch, bool retrieval, VideoTextModel model, IRandomSource random);

    /// <summary>Loads one batch: clips and captions sampled with <paramref name="random"/>.</summary>
    TrainingBatch LoadBatch(IReadOnlyList<string> videoIds, IRandomSource random);

    /// <summary>The validation split's batches (fixed over the run); empty: no validation.</summary>
    IReadOnlyList<IReadOnlyList<string>> ValidationPlan();
}
