using Norton.Core.Validation;
using Norton.Training.Sampling;

namespace Norton.Training.Retrieval;

/// <summary>
/// Retrieval-augmented batching, defaults from the paper's config (the original's VideoRetriTask; docs/training-data.md):
/// 512 centroids trained on the first 512 x 48 video vectors, 192 candidates per query, batches of 64 videos.
/// </summary>
public sealed record RetrievalOptions
{
    /// <summary>IVF lists (<c>centroids</c>); capped at <c>videos / ExamplesPerCentroidToTrain</c> (at least 1) for small corpora.</summary>
    public int Centroids { get; init; } = 512;

    /// <summary>Training vectors per centroid (<c>examples_per_cent_to_train</c>).</summary>
    public int ExamplesPerCentroidToTrain { get; init; } = 48;

    /// <summary>Neighbours searched per query (<c>num_cands</c>).</summary>
    public int Candidates { get; init; } = 192;

    /// <summary>Videos per batch (<c>num_video_per_batch</c>).</summary>
    public int VideosPerBatch { get; init; } = 64;

    /// <summary>Videos per forward pass when computing the video vectors (x 16 clips each).</summary>
    public int VideosPerForward { get; init; } = 64;

    /// <summary>The quantiser's k-means.</summary>
    public KMeansOptions KMeans { get; init; } = new();

    /// <summary>Clip sampling of the video vectors (the pretraining sampler's settings).</summary>
    public ClipSamplerOptions Clips { get; init; } = new();

    /// <summary>Throws unless the settings make sense.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive setting.</exception>
    public RetrievalOptions Validate()
    {
        foreach (var (value, name) in new[] { (Centroids, nameof(Centroids)), (ExamplesPerCentroidToTrain, nameof(ExamplesPerCentroidToTrain)),
                     (Candidates, nameof(Candidates)), (VideosPerBatch, nameof(VideosPerBatch)), (VideosPerForward, nameof(VideosPerForward)) })
            if (value < 1) throw Guard.OutOfRange(name, value, "be > 0");
        KMeans.Validate();
        Clips.Validate();
        return this;
    }
}
