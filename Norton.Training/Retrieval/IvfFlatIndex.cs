using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Training.Retrieval;

/// <summary>
/// An IVF-Flat index in TorchSharp (faiss's <c>IndexIVFFlat</c> with an L2 flat quantiser, as the original's
/// <c>VectorRetriever</c> builds it; docs/training-data.md): a coarse k-means quantiser, every added vector stored in the
/// list of its nearest centroid, and a search that scans only the query's own list (<c>nprobe</c> 1) with exact L2.
/// Runs on the tensors' device; distance blocks are chunked, so 1M x 768 vectors need only a few GiB beyond the
/// vectors themselves.
/// </summary>
/// <remarks>The index keeps a reference to the added vectors (no copy); keep them alive and unchanged while searching.</remarks>
public sealed class IvfFlatIndex : IDisposable
{
    private static readonly Scalar Infinity = float.PositiveInfinity;
    private Tensor? _vectors;
    private long[]? _lists;
    private long[][]? _members;

    private IvfFlatIndex(Tensor centroids, int chunkRows)
    {
        Centroids = centroids.DetachFromDisposeScope();
        ChunkRows = chunkRows;
    }

    /// <summary>(lists, d) float32 centroids.</summary>
    public Tensor Centroids { get; }

    /// <summary>Temporary bytes a search block aims at (the block's lists, gathered).</summary>
    public const long ScanBudgetBytes = 128L << 20;

    /// <summary>Rows per distance block.</summary>
    public int ChunkRows { get; }

    /// <summary>Vectors added.</summary>
    public long Count => _lists?.Length ?? 0;

    /// <summary>Each added vector's list (its nearest centroid).</summary>
    public IReadOnlyList<long> Lists => _lists ?? Array.Empty<long>();

    /// <summary>Trains the quantiser on <paramref name="trainVectors"/> with <see cref="KMeans"/>.</summary>
    public static IvfFlatIndex Train(Tensor trainVectors, int lists, KMeansOptions? options = null)
    {
        options = (options ?? new KMeansOptions()).Validate();
        return new IvfFlatIndex(KMeans.Train(trainVectors, lists, options), options.ChunkRows);
    }

    /// <summary>An index over given centroids (e.g. faiss's), copied.</summary>
    /// <exception cref="ArgumentException">Not a 2-D float32 tensor.</exception>
    public static IvfFlatIndex FromCentroids(Tensor centroids, int chunkRows = 8192)
    {
        ArgumentNullException.ThrowIfNull(centroids);
        if (centroids.dim() != 2 || centroids.dtype != ScalarType.Float32 || centroids.shape[0] < 1)
            throw new ArgumentException($"expected (lists, d) float32 centroids, found ({string.Join(", ", centroids.shape)}) {centroids.dtype}.", nameof(centroids));
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        return new IvfFlatIndex(centroids.detach().clone(), chunkRows);
    }

    /// <summary>Stores <paramref name="vectors"/> (ids 0..n−1), each in the list of its nearest centroid.</summary>
    /// <exception cref="ArgumentException">Wrong shape or type, or vectors already added.</exception>
    public void Add(Tensor vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (_vectors is not null) throw new ArgumentException("this index already holds vectors.", nameof(vectors));
        if (vectors.dim() != 2 || vectors.dtype != ScalarType.Float32 || vectors.shape[1] != Centroids.shape[1])
            throw new ArgumentException(
                $"expected (n, {Centroids.shape[1]}) float32 vectors, found ({string.Join(", ", vectors.shape)}) {vectors.dtype}.", nameof(vectors));
        using var scope = NewDisposeScope();
        var (labels, _) = NearestCentroid.Assign(vectors, Centroids, ChunkRows);
        _lists = labels.cpu().data<long>().ToArray();
        var members = new List<long>[Centroids.shape[0]];
        for (int c = 0; c < members.Length; c++) members[c] = new List<long>();
        for (long i = 0; i < _lists.Length; i++) members[_lists[i]].Add(i);
        _members = members.Select(m => m.ToArray()).ToArray();
        _vectors = vectors;
    }

    /// <summary>The k nearest stored vectors of each query, scanning the query's nearest list only (nprobe 1).</summary>
    /// <param name="queries">(q, d) float32, on the index's device.</param>
    /// <param name="k">Neighbours per query.</param>
    /// <remarks>
    /// Queries go in blocks: each block gathers its queries' lists, padded to the longest list, and computes the exact
    /// squared distances Σ(q−x)² (what faiss's scan computes) in one pass; a block's temporary memory is kept near
    /// <see cref="ScanBudgetBytes"/>.
    /// </remarks>
    /// <exception cref="InvalidOperationException">Nothing added yet.</exception>
    public IvfSearchResult Search(Tensor queries, int k)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (_vectors is null || _members is null) throw new InvalidOperationException("add vectors before searching.");
        if (queries.dim() != 2 || queries.dtype != ScalarType.Float32 || queries.shape[1] != Centroids.shape[1])
            throw new ArgumentException(
                $"expected (q, {Centroids.shape[1]}) float32 queries, found ({string.Join(", ", queries.shape)}) {queries.dtype}.", nameof(queries));
        using var scope = NewDisposeScope();
        var (labels, _) = NearestCentroid.Assign(queries, Centroids, ChunkRows);
        long[] probe = labels.cpu().data<long>().ToArray();
        int count = probe.Length;
        var ids = new long[count][];
        var distances = new float[count][];
        int longest = count == 0 ? 0 : probe.Max(p => _members[p].Length);
        long dim = _vectors.shape[1];
        int block = (int)Math.Clamp(ScanBudgetBytes / Math.Max(1L, longest * dim * sizeof(float)), 1, 1024);
        int kept = Math.Min(k, longest);
        for (int at = 0; at < count; at += block)
        {
            int rows = Math.Min(block, count - at);
            float[] flatDistances = Array.Empty<float>();
            long[] flatIds = Array.Empty<long>();
            if (kept > 0)
            {
                using var inner = NewDisposeScope();
                var members = new long[rows * longest];
                var padding = new bool[rows * longest];
                for (int r = 0; r < rows; r++)
                {
                    long[] list = _members[probe[at + r]];
                    list.CopyTo(members, r * longest);
                    padding.AsSpan(r * longest + list.Length, longest - list.Length).Fill(true);
                }
                var memberIds = tensor(members, new long[] { rows, longest }, device: queries.device);
                var x = _vectors.index_select(0, memberIds.flatten()).view(rows, longest, dim);
                var difference = x.sub_(queries.narrow(0, at, rows).unsqueeze(1));
                var exact = difference.mul_(difference).sum(2)
                    .masked_fill_(tensor(padding, new long[] { rows, longest }, device: queries.device), Infinity);
                var (sorted, order) = exact.sort(1, descending: false, stable: true);
                flatDistances = sorted.narrow(1, 0, kept).cpu().data<float>().ToArray();
                flatIds = memberIds.gather(1, order.narrow(1, 0, kept)).cpu().data<long>().ToArray();
            }
            for (int r = 0; r < rows; r++)
            {
                var d = new float[k];
                var found = new long[k];
                Array.Fill(d, float.PositiveInfinity);
                Array.Fill(found, -1L);
                for (int j = 0; j < kept && !float.IsPositiveInfinity(flatDistances[r * kept + j]); j++)
                {
                    d[j] = flatDistances[r * kept + j];
                    found[j] = flatIds[r * kept + j];
                }
                ids[at + r] = found;
                distances[at + r] = d;
            }
        }
        return new IvfSearchResult(ids, distances);
    }

    /// <summary>Frees the centroids (the added vectors belong to the caller).</summary>
    public void Dispose() => Centroids.Dispose();
}
