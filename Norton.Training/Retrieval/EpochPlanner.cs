using Norton.Models;
using Norton.Training.Sampling;
using static TorchSharp.torch;
using Norton.Training.Corpus;

namespace Norton.Training.Retrieval;

/// <summary>
/// Plans one epoch's batches of video ids (docs/training-data.md): retrieval-augmented when a model is given (video vectors
/// from the model, an IVF index, neighbourhoods of similar videos), the random fallback otherwise.
/// </summary>
public static class EpochPlanner
{
    /// <summary>The epoch's batches, each a list of video ids for <see cref="Batching.BatchFeeder"/>.</summary>
    /// <param name="corpus">The training corpus.</param>
    /// <param name="random">All draws (clips, queries, cuts, shuffles).</param>
    /// <param name="model">The current model, or null for random batches.</param>
    /// <param name="options">The paper's settings when null.</param>
    /// <param name="videoIds">The videos to plan over (all of the corpus when null).</param>
    public static IReadOnlyList<string[]> Plan(PretrainingCorpus corpus, IRandomSource random, VideoTextModel? model = null,
        RetrievalOptions? options = null, IReadOnlyList<string>? videoIds = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(random);
        options = (options ?? new RetrievalOptions()).Validate();
        var ids = videoIds ?? corpus.VideoIds;
        if (model is null) return RetrievalBatchPlanner.RandomBatches(ids, random, options.VideosPerBatch);
        using var scope = NewDisposeScope();
        var vectors = VideoVectorEncoder.Encode(model, corpus, ids, random, options.Clips, options.VideosPerForward);
        return RetrievalBatchPlanner.Plan(ids, vectors, random, options);
    }
}
