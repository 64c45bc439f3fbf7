using Norton.Training.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Training.Retrieval;

/// <summary>
/// Lloyd's k-means in TorchSharp (the IVF index's coarse quantiser, as faiss trains it; docs/training-data.md):
/// initial centroids are distinct training vectors chosen at random, then assign / re-average for
/// <see cref="KMeansOptions.Iterations"/> rounds; an emptied centroid takes the vector farthest from its own centroid.
/// Device-agnostic and chunked (<see cref="KMeansOptions.ChunkRows"/>).
/// </summary>
public static class KMeans
{
    private static readonly Scalar One = 1.0.ToScalar();
    private static readonly Scalar NoneCounted = 0L.ToScalar();
    private static readonly Scalar MinusTwo = (-2.0).ToScalar();
    private static readonly Scalar Zero = 0.0.ToScalar();
    private static readonly Scalar Infinity = double.PositiveInfinity.ToScalar();

    /// <summary>Learns <paramref name="k"/> centroids of <paramref name="vectors"/>.</summary>
    /// <param name="vectors">(n, d) float32 training vectors, n ≥ k.</param>
    /// <param name="k">Number of centroids.</param>
    /// <param name="options">Iterations, seed, restarts, block size.</param>
    /// <returns>(k, d) float32 centroids on the vectors' device.</returns>
    /// <exception cref="ArgumentException">Not a 2-D float32 tensor, non-finite values, or fewer vectors than centroids.</exception>
    public static Tensor Train(Tensor vectors, int k, KMeansOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        options = (options ?? new KMeansOptions()).Validate();
        if (vectors.dim() != 2 || vectors.dtype != ScalarType.Float32)
            throw new ArgumentException($"expected (n, d) float32 vectors, found ({string.Join(", ", vectors.shape)}) {vectors.dtype}.", nameof(vectors));
        if (k < 1 || vectors.shape[0] < k)
            throw new ArgumentException($"k-means needs 1 <= k <= n; k {k}, n {vectors.shape[0]}.", nameof(k));
        using var scope = NewDisposeScope();
        if (!vectors.isfinite().all().item<bool>())
            throw new ArgumentException("the training vectors contain NaN or infinite values.", nameof(vectors));
        var random = new SplitMix64(options.Seed);
        Tensor? best = null;
        double bestObjective = double.PositiveInfinity;
        for (int run = 0; run < options.Restarts; run++)
        {
            var centroids = Run(vectors, k, options, random);
            double objective = Objective(vectors, centroids, options.ChunkRows);
            if (objective < bestObjective)
            {
                bestObjective = objective;
                best = centroids;
            }
        }
        return best!.MoveToOuterDisposeScope();
    }

    /// <summary>Mean squared distance of <paramref name="vectors"/> to their nearest centroid (faiss's objective / n).</summary>
    public static double Objective(Tensor vectors, Tensor centroids, int chunkRows = 8192)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(centroids);
        using var scope = NewDisposeScope();
        var (_, distances) = NearestCentroid.Assign(vectors, centroids, chunkRows);
        return distances.to(ScalarType.Float64).mean().item<double>();
    }

    private static Tensor Run(Tensor vectors, int k, KMeansOptions options, IRandomSource random)
    {
        using var scope = NewDisposeScope();
        long n = vectors.shape[0];
        var centroids = SeedPlusPlus(vectors, k, options, random);
        for (int iteration = 0; iteration < options.Iterations; iteration++)
        {
            var (labels, distances) = NearestCentroid.Assign(vectors, centroids, options.ChunkRows);
            var counts = labels.bincount(null, k);
            var sums = zeros(k, vectors.shape[1], device: vectors.device).index_add_(0, labels, vectors, One);
            centroids = sums.div_(counts.clamp_min(One).unsqueeze(1).to(ScalarType.Float32));
            RefillEmpty(vectors, centroids, counts, distances);
        }
        return centroids.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// k-means++ seeding (each next centroid drawn with probability proportional to its squared distance to the
    /// nearest one chosen) on a random subsample of <see cref="KMeansOptions.SeedingSamplesPerCentroid"/> x k
    /// vectors: better starts than faiss's uniform pick, at a small fraction of one Lloyd round. No host syncs.
    /// </summary>
    private static Tensor SeedPlusPlus(Tensor vectors, int k, KMeansOptions options, IRandomSource random)
    {
        using var scope = NewDisposeScope();
        long n = vectors.shape[0], m = Math.Min(n, (long)k * options.SeedingSamplesPerCentroid);
        var pool = m == n ? vectors : vectors.index_select(0, tensor(Sample(n, (int)m, random), device: vectors.device));
        var poolNorms = pool.pow(Norton.Core.Scalars.Two).sum(1);
        var chosen = new List<Tensor> { tensor(new[] { random.RandInt(0, m - 1) }, device: vectors.device) };
        var nearest = full(m, Infinity, ScalarType.Float32, vectors.device);
        using var lastRow = (m - 1).ToScalar();
        for (int c = 1; c < k; c++)
        {
            var centre = pool.index_select(0, chosen[^1]);
            var d = pool.matmul(centre.t()).squeeze(1).mul_(MinusTwo).add_(poolNorms, Norton.Core.Scalars.One).add_(centre.pow(Norton.Core.Scalars.Two).sum(), Norton.Core.Scalars.One);
            nearest = minimum(nearest, d.clamp_min_(Zero));
            var cumulative = nearest.cumsum(0);
            var u = tensor(new[] { (float)random.Random() }, device: vectors.device).mul_(cumulative[^1]);
            chosen.Add(searchsorted(cumulative, u, right: true).clamp_max_(lastRow));
        }
        return pool.index_select(0, cat(chosen, 0)).clone().MoveToOuterDisposeScope();
    }

    /// <summary>Each empty centroid takes one of the vectors farthest from their centroids (one sync per round).</summary>
    private static void RefillEmpty(Tensor vectors, Tensor centroids, Tensor counts, Tensor distances)
    {
        using var scope = NewDisposeScope();
        var empty = counts.eq(NoneCounted).nonzero().flatten();
        long missing = empty.shape[0];
        if (missing == 0) return;
        var far = distances.topk((int)Math.Min(missing, distances.shape[0])).indexes;
        centroids.index_copy_(0, empty.narrow(0, 0, far.shape[0]), vectors.index_select(0, far));
    }

    /// <summary><paramref name="k"/> distinct indices of [0, n), by a partial Fisher-Yates shuffle.</summary>
    internal static long[] Sample(long n, int k, IRandomSource random)
    {
        var pool = new Dictionary<long, long>();
        var result = new long[k];
        for (int i = 0; i < k; i++)
        {
            long j = random.RandInt(i, n - 1);
            long atJ = pool.TryGetValue(j, out long a) ? a : j, atI = pool.TryGetValue(i, out long b) ? b : i;
            result[i] = atJ;
            pool[j] = atI;
        }
        return result;
    }
}
