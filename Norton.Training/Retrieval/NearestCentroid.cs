using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Training.Retrieval;

/// <summary>
/// Nearest centroid of every vector by squared L2, <c>|x|² − 2 x·c + |c|²</c> in blocks of rows, so the temporary
/// memory stays at <c>chunk x k</c> floats whatever the number of vectors. Runs where the tensors are.
/// </summary>
internal static class NearestCentroid
{
    private static readonly Scalar MinusTwo = (-2.0).ToScalar();
    private static readonly Scalar Zero = 0.0.ToScalar();

    /// <summary>(labels (n) int64, squared distances (n) float32).</summary>
    public static (Tensor Labels, Tensor Distances) Assign(Tensor vectors, Tensor centroids, int chunkRows)
    {
        using var scope = NewDisposeScope();
        var cc = centroids.pow(Norton.Core.Scalars.Two).sum(1);
        long n = vectors.shape[0];
        var labels = new List<Tensor>();
        var distances = new List<Tensor>();
        for (long at = 0; at < n; at += chunkRows)
        {
            var x = vectors.narrow(0, at, Math.Min(chunkRows, n - at));
            var d = x.matmul(centroids.t()).mul_(MinusTwo).add_(cc.unsqueeze(0), Norton.Core.Scalars.One).add_(x.pow(Norton.Core.Scalars.Two).sum(1, keepdim: true), Norton.Core.Scalars.One);
            var (min, argmin) = d.min(1);
            labels.Add(argmin);
            distances.Add(min.clamp_min(Zero));
        }
        var l = cat(labels, 0);
        var dist = cat(distances, 0);
        return (l.MoveToOuterDisposeScope(), dist.MoveToOuterDisposeScope());
    }
}
