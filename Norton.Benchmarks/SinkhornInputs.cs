using Norton.Core.OptimalTransport;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Benchmarks;

/// <summary>Random inputs shaped like Norton's two Sinkhorn problems.</summary>
public static class SinkhornInputs
{
    private static readonly Scalar Three = 3.0.ToScalar();

    /// <summary>
    /// Video-paragraph bucket problems: (batch, rows, cols) fused similarities uniform in [0, 1] and one bucket value p
    /// uniform in [0, 1] (Norton's p is one k-th smallest diagonal entry for the whole batch); (rows, cols) when batch is 0.
    /// </summary>
    public static (Tensor Scores, PromptBucket Bucket) BucketProblems(long batch, long rows, long cols, ScalarType dtype, Device device, long seed)
    {
        using var gen = new Generator((ulong)seed);
        long[] shape = batch > 0 ? [batch, rows, cols] : [rows, cols];
        var scores = rand(shape, dtype: dtype, generator: gen).to(device);
        var p = rand([1], dtype: dtype, generator: gen).squeeze(0).to(device);
        return (scores, PromptBucket.FromTensor(p));
    }

    /// <summary>Clip-caption logits: raw dot products of unnormalised features, N(0, 3^2), (batch, rows, cols) or (rows, cols) when batch is 0.</summary>
    public static Tensor ClipLogits(long batch, long rows, long cols, ScalarType dtype, Device device, long seed)
    {
        using var gen = new Generator((ulong)seed);
        long[] shape = batch > 0 ? [batch, rows, cols] : [rows, cols];
        return randn(shape, dtype: dtype, generator: gen).mul(Three).to(device);
    }
}
