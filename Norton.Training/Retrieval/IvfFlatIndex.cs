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
    private static readonly Scalar MinusTwo = (-2.0).ToScalar();
    private static readonly Scalar Zero = 0.0.ToScalar();
    private const int ExactMargin = 16;
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
    /// <exception cref="InvalidOperationException">Nothing added yet.</exception>
    public IvfSearchResult Search(Tensor queries, int k)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (_vectors is null || _members is null) throw new InvalidOperationException("add vectors before searching.");
        using var scope = NewDisposeScope();
        var (labels, _) = NearestCentroid.Assign(queries, Centroids, ChunkRows);
        long[] probe = labels.cpu().data<long>().ToArray();
        var ids = new long[probe.Length][];
        var distances = new float[probe.Length][];
        foreach (var group in Enumerable.Range(0, probe.Length).GroupBy(q => probe[q]))
        {
            long[] members = _members[group.Key];
            int[] queryRows = group.ToArray();
            for (int at = 0; at < queryRows.Length; at += 256)
            {
                int[] rows = queryRows.Skip(at).Take(256).ToArray();
                using var inner = NewDisposeScope();
                var q = queries.index_select(0, tensor(rows.Select(r => (long)r).ToArray(), device: queries.device));
                var (found, dist) = ScanList(q, members, k);
                for (int i = 0; i < rows.Length; i++)
                {
                    ids[rows[i]] = found[i];
                    distances[rows[i]] = dist[i];
                }
            }
        }
        return new IvfSearchResult(ids, distances);
    }

    /// <summary>Neighbours among <paramref name="members"/>: a blocked |q|²−2q·x+|x|² pass picks k+16 candidates,
    /// whose exact distances Σ(q−x)² (what faiss's scan computes) then give the order.</summary>
    private (long[][] Ids, float[][] Distances) ScanList(Tensor q, long[] members, int k)
    {
        int rows = (int)q.shape[0];
        var ids = new long[rows][];
        var distances = new float[rows][];
        int candidates = Math.Min(members.Length, k + ExactMargin);
        if (candidates > 0)
        {
            var memberIds = tensor(members, device: q.device);
            var x = _vectors!.index_select(0, memberIds);
            var approx = q.matmul(x.t()).mul_(MinusTwo).add_(x.pow(Norton.Core.Scalars.Two).sum(1).unsqueeze(0), Norton.Core.Scalars.One).add_(q.pow(Norton.Core.Scalars.Two).sum(1, keepdim: true), Norton.Core.Scalars.One);
            var top = approx.topk(candidates, dim: 1, largest: false, sorted: true).indexes;
            var exact = q.unsqueeze(1).sub(x.index_select(0, top.flatten()).view(rows, candidates, -1)).pow(Norton.Core.Scalars.Two).sum(2).clamp_min(Zero);
            var (sorted, order) = exact.sort(1, descending: false, stable: true);
            var chosen = memberIds.index_select(0, top.gather(1, order).flatten()).view(rows, candidates).cpu();
            long[] flatIds = chosen.data<long>().ToArray();
            float[] flatDistances = sorted.cpu().data<float>().ToArray();
            for (int r = 0; r < rows; r++)
            {
                ids[r] = Fill(flatIds.AsSpan(r * candidates, Math.Min(k, candidates)), k, -1L);
                distances[r] = Fill(flatDistances.AsSpan(r * candidates, Math.Min(k, candidates)), k, float.PositiveInfinity);
            }
        }
        else
        {
            for (int r = 0; r < rows; r++)
            {
                ids[r] = Fill(ReadOnlySpan<long>.Empty, k, -1L);
                distances[r] = Fill(ReadOnlySpan<float>.Empty, k, float.PositiveInfinity);
            }
        }
        return (ids, distances);
    }

    private static T[] Fill<T>(ReadOnlySpan<T> values, int k, T missing)
    {
        var result = new T[k];
        Array.Fill(result, missing);
        values.CopyTo(result);
        return result;
    }

    /// <summary>Frees the centroids (the added vectors belong to the caller).</summary>
    public void Dispose() => Centroids.Dispose();
}
