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

    /// <summary>
    /// In a data-parallel run of <paramref name="size"/> processes: the candidate batches rank
    /// <paramref name="rank"/> builds from its own disjoint share of the training videos (video vectors and retrieval
    /// index of that share only, as the original does). The trainer gathers every rank's list, shuffles it with a
    /// seed shared by all ranks, and rank <c>r</c> takes batch <c>step · size + r</c> (see docs/scaling.md).
    /// <paramref name="random"/> is this rank's own source for the epoch. The default plans the whole epoch and keeps
    /// every <paramref name="size"/>-th batch from position <paramref name="rank"/>: correct, but every rank then pays
    /// for the whole epoch's plan; a corpus with a retrieval index overrides it to index its share only.
    /// </summary>
    IReadOnlyList<IReadOnlyList<string>> PlanShare(int epoch, bool retrieval, VideoTextModel model, IRandomSource random, int rank, int size) =>
        Distributed.DataShare.ShareOf(PlanEpoch(epoch, retrieval, model, random), rank, size);

    /// <summary>Loads one batch: clips and captions sampled with <paramref name="random"/>.</summary>
    TrainingBatch LoadBatch(IReadOnlyList<string> videoIds, IRandomSource random);

    /// <summary>The validation split's batches (fixed over the run); empty: no validation.</summary>
    IReadOnlyList<IReadOnlyList<string>> ValidationPlan();
}
