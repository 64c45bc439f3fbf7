using Norton.Training.Sampling;
using static TorchSharp.torch;

namespace Norton.Training.Retrieval;

/// <summary>
/// An epoch's batches of video ids (the original's VideoRetriTask; docs/training-data.md): retrieval-augmented from video
/// vectors, or shuffled at random when retrieval is off.
/// </summary>
public static class RetrievalBatchPlanner
{
    /// <summary>
    /// Retrieval-augmented batches: an IVF index over <paramref name="vectors"/> (quantiser trained on the first
    /// centroids x examples-per-centroid vectors), then <c>n / VideosPerBatch</c> queries drawn without replacement;
    /// each batch is [query] + its <see cref="RetrievalOptions.Candidates"/> nearest in its list (itself and empty
    /// places left out), cut to a random <see cref="RetrievalOptions.VideosPerBatch"/> of them when longer (the query
    /// may drop out); shorter lists stay short.
    /// </summary>
    /// <param name="videoIds">Id of each vector row.</param>
    /// <param name="vectors">(n, d) float32 video vectors, any device.</param>
    /// <param name="random">Draws the queries and the cuts.</param>
    /// <param name="options">The paper's settings when null.</param>
    /// <exception cref="ArgumentException">Ids and vectors disagree in count.</exception>
    public static IReadOnlyList<string[]> Plan(IReadOnlyList<string> videoIds, Tensor vectors, IRandomSource random, RetrievalOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(videoIds);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(random);
        options = (options ?? new RetrievalOptions()).Validate();
        long n = videoIds.Count;
        if (vectors.dim() != 2 || vectors.shape[0] != n)
            throw new ArgumentException($"expected {n} vector rows (one per video id), found ({string.Join(", ", vectors.shape)}).", nameof(vectors));
        using var scope = NewDisposeScope();
        int lists = (int)Math.Max(1, Math.Min(options.Centroids, n / options.ExamplesPerCentroidToTrain));
        long trainCount = Math.Min(n, (long)lists * options.ExamplesPerCentroidToTrain);
        using var index = IvfFlatIndex.Train(vectors.narrow(0, 0, trainCount), lists, options.KMeans);
        index.Add(vectors);
        long[] queries = KMeans.Sample(n, (int)(n / options.VideosPerBatch), random);
        var found = index.Search(vectors.index_select(0, tensor(queries, device: vectors.device)), options.Candidates);
        var batches = new List<string[]>(queries.Length);
        for (int q = 0; q < queries.Length; q++)
        {
            var candidates = CandidateList(queries[q], found.Ids[q]);
            if (candidates.Count > options.VideosPerBatch)
                candidates = KMeans.Sample(candidates.Count, options.VideosPerBatch, random).Select(i => candidates[(int)i]).ToList();
            batches.Add(candidates.Select(i => videoIds[(int)i]).ToArray());
        }
        return batches;
    }

    /// <summary>The original's <c>search_by_video_ids</c> answer: the query, then its neighbours in order, without
    /// the query itself and without −1.</summary>
    public static List<long> CandidateList(long query, IEnumerable<long> neighbours)
    {
        ArgumentNullException.ThrowIfNull(neighbours);
        var list = new List<long> { query };
        list.AddRange(neighbours.Where(id => id != query && id != -1));
        return list;
    }

    /// <summary>
    /// The random fallback (retrieval off): the ids shuffled and cut into batches of
    /// <paramref name="videosPerBatch"/>, keeping <c>(n / (8 x videosPerBatch)) x 8</c> batches as the original does
    /// (at least one batch, so a small corpus still trains).
    /// </summary>
    public static IReadOnlyList<string[]> RandomBatches(IReadOnlyList<string> videoIds, IRandomSource random, int videosPerBatch = 64)
    {
        ArgumentNullException.ThrowIfNull(videoIds);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(videosPerBatch, 1);
        var order = KMeans.Sample(videoIds.Count, videoIds.Count, random);
        int batches = videoIds.Count / (8 * videosPerBatch) * 8;
        if (batches == 0) batches = Math.Max(1, videoIds.Count / videosPerBatch);
        return Enumerable.Range(0, batches)
            .Select(b => order.Skip(b * videosPerBatch).Take(videosPerBatch).Select(i => videoIds[(int)i]).ToArray())
            .Where(batch => batch.Length > 0)
            .ToArray();
    }
}
