using Norton.Core.OptimalTransport;
using Norton.Core.Validation;
using Norton.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Evaluation.Alignment;

/// <summary>
/// Zero-shot alignment of one paragraph to one video with Norton's alignable prompt bucket: the entropic OT plan of
/// the (captions x clips) cosine similarities, augmented by a bucket row and column of value <see cref="BucketValue"/>.
/// Captions whose mass goes mainly to the bucket are unalignable; clips whose mass goes mainly to the bucket are
/// background. No training and no parameters: the similarities come from any pair of encoders.
/// </summary>
/// <remarks>
/// <para>This is the plan of the video-paragraph loss (<c>Norton.Losses.VideoParagraphLoss</c>) applied at inference: the same
/// solver (<see cref="Sinkhorn"/>, Norton's marginals, rows first, a fixed number of sweeps) and the same bucket
/// construction. The loss solves on its fused, min-max normalised similarity; the aligner on plain cosine
/// similarities, which any encoder provides, so its bucket value is a cosine (see <see cref="BucketFromPairs"/>).</para>
/// <para>Decisions use the arg-max of each row (caption) and column (clip) of the augmented plan, bucket included:
/// with Norton's marginals every real row and column of <c>(m+n) P</c> sums to one, so the arg-max is the share
/// that wins that caption's or clip's unit of mass.</para>
/// </remarks>
public sealed class ZeroShotAligner
{
    /// <summary>Creates an aligner.</summary>
    /// <param name="bucketValue">The prompt bucket value p, a cosine similarity: a caption is only aligned to a clip it
    /// resembles more than p (roughly). Finite.</param>
    /// <param name="epsilon">Entropic regularisation of the OT (the loss's <c>Scale</c>), &gt; 0; default 0.1.</param>
    /// <param name="iterations">Sinkhorn sweeps, &gt;= 1; default 50 (the paper's).</param>
    /// <exception cref="ArgumentException">An argument is out of range (the message names it).</exception>
    public ZeroShotAligner(double bucketValue, double epsilon = 0.1, int iterations = 50)
    {
        Guard.Finite(bucketValue, nameof(bucketValue));
        Guard.Positive(epsilon, nameof(epsilon));
        Guard.AtLeast(iterations, 1, nameof(iterations));
        BucketValue = bucketValue;
        Epsilon = epsilon;
        Iterations = iterations;
    }

    /// <summary>The prompt bucket value (a cosine similarity).</summary>
    public double BucketValue { get; }

    /// <summary>Entropic regularisation of the OT.</summary>
    public double Epsilon { get; }

    /// <summary>Sinkhorn sweeps.</summary>
    public int Iterations { get; }

    /// <summary>
    /// The bucket value Norton would pick from paired data, here on cosines: the k-th smallest cosine similarity of
    /// the given (clip, caption) pairs, <c>k = int(ratio * N)</c> (the loss takes the same order statistic of its fused
    /// similarity's diagonal). With noisy pairs and ratio 0.3 this lands between the similarity of true and of false
    /// pairs when roughly 30% of the pairs are false.
    /// </summary>
    /// <param name="clips">(N, D) clip features; row i is paired with caption i.</param>
    /// <param name="captions">(N, D) caption features.</param>
    /// <param name="ratio">In (0, 1]; paper 0.3.</param>
    /// <exception cref="ArgumentException">Shapes differ, a row is zero or not finite, or k is out of [1, N].</exception>
    public static double BucketFromPairs(Tensor clips, Tensor captions, double ratio = 0.3)
    {
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentNullException.ThrowIfNull(captions);
        CheckFeatures(clips, nameof(clips));
        CheckFeatures(captions, nameof(captions));
        if (!clips.shape.SequenceEqual(captions.shape))
            throw new ArgumentException(
                $"clips and captions must be paired row by row with the same shape, but are {Guard.Shape(clips)} and {Guard.Shape(captions)}.",
                nameof(captions));
        long k = PromptBucket.RankFromRatio(ratio, clips.shape[0]);
        using var scope = NewDisposeScope();
        var cosine = (Unit(clips, nameof(clips)) * Unit(captions, nameof(captions))).sum([1L]);
        return PromptBucket.KthSmallest(cosine, k).to(ScalarType.Float64).item<double>();
    }

    /// <summary>(captions x clips) cosine similarities of two feature matrices, in float32 or wider.</summary>
    /// <param name="clips">(n, D) clip features.</param>
    /// <param name="captions">(m, D) caption features, same D.</param>
    /// <exception cref="ArgumentException">Not 2-D, different D, empty, not finite, or a zero row.</exception>
    public static Tensor CosineSimilarity(Tensor clips, Tensor captions)
    {
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentNullException.ThrowIfNull(captions);
        CheckFeatures(clips, nameof(clips));
        CheckFeatures(captions, nameof(captions));
        if (clips.shape[1] != captions.shape[1])
            throw new ArgumentException(
                $"clips and captions must have the same feature size, but are {Guard.Shape(clips)} and {Guard.Shape(captions)}.", nameof(captions));
        using var scope = NewDisposeScope();
        return Unit(captions, nameof(captions)).mm(Unit(clips, nameof(clips)).t()).MoveToOuterDisposeScope();
    }

    /// <summary>Aligns one paragraph to one video from their features (cosine similarities).</summary>
    /// <param name="clips">(n, D) clip features of the video, in temporal order.</param>
    /// <param name="captions">(m, D) caption features of the paragraph.</param>
    /// <exception cref="ArgumentException">Bad features (see <see cref="CosineSimilarity"/>).</exception>
    public ZeroShotAlignment Align(Tensor clips, Tensor captions)
    {
        // No dispose scope here: the alignment's tensors must reach the caller's scope.
        using var similarity = CosineSimilarity(clips, captions);
        return Align(similarity);
    }

    /// <summary>Aligns one paragraph to one video from a (captions x clips) similarity matrix (larger = more similar).</summary>
    /// <param name="similarity">(m, n) similarities on the scale of <see cref="BucketValue"/> (cosines), finite.</param>
    /// <exception cref="ArgumentException">Not a non-empty 2-D floating-point matrix, or not finite.</exception>
    public ZeroShotAlignment Align(Tensor similarity)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        Guard.Rank(similarity, nameof(similarity), 2);
        Guard.FloatingPoint(similarity, nameof(similarity));
        long m = similarity.shape[0], n = similarity.shape[1];
        if (m < 1 || n < 1)
            throw Guard.Argument(nameof(similarity), "not be empty", $"has shape {Guard.Shape(similarity)}");
        Guard.Finite(similarity, nameof(similarity));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var s = similarity.detach().to(similarity.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32);
        var augmented = AugmentedPlan(s);
        double value = TransportValue(augmented, s).to(ScalarType.Float64).item<double>();

        long[] rowWinner = augmented.narrow(0, 0, m).argmax(1).cpu().data<long>().ToArray();
        long[] columnWinner = augmented.narrow(1, 0, n).argmax(0).cpu().data<long>().ToArray();
        var captionClips = rowWinner.Select(j => j == n ? -1 : (int)j).ToArray();
        var background = columnWinner.Select(i => i == m).ToArray();
        return new ZeroShotAlignment(
            s.clone().MoveToOuterDisposeScope(),
            augmented.narrow(0, 0, m).narrow(1, 0, n).clone().MoveToOuterDisposeScope(),
            augmented.MoveToOuterDisposeScope(),
            captionClips, background, value, BucketValue);
    }

    /// <summary>
    /// The <see cref="ZeroShotAlignment.TransportValue"/> of many (paragraph, video) pairs of the same size at once,
    /// in one batched Sinkhorn solve (what a retrieval over every pair needs; solving pairs one by one costs a solver
    /// call each).
    /// </summary>
    /// <param name="similarities">(B, m, n) similarities, [pair, caption, clip], finite.</param>
    /// <returns>B transport values, in order.</returns>
    /// <exception cref="ArgumentException">Not a non-empty 3-D floating-point tensor, or not finite.</exception>
    public double[] TransportValues(Tensor similarities)
    {
        ArgumentNullException.ThrowIfNull(similarities);
        Guard.Rank(similarities, nameof(similarities), 3);
        Guard.FloatingPoint(similarities, nameof(similarities));
        if (similarities.shape.Any(d => d < 1))
            throw Guard.Argument(nameof(similarities), "not be empty", $"has shape {Guard.Shape(similarities)}");
        Guard.Finite(similarities, nameof(similarities));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var s = similarities.detach().to(similarities.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32);
        return TransportValue(AugmentedPlan(s), s).to(ScalarType.Float64).cpu().data<double>().ToArray();
    }

    /// <summary>(..., m+1, n+1) plan (m+n) P of the bucket problem.</summary>
    private Tensor AugmentedPlan(Tensor s)
    {
        using var solved = Sinkhorn.Solve(
            new TransportProblem(s, bucket: PromptBucket.Constant(BucketValue)),
            new SinkhornOptions { Epsilon = Epsilon, MaxIterations = Iterations });
        return solved.AugmentedLogPlan!.exp();
    }

    /// <summary>
    /// Mean over captions of what each caption's unit of mass earns: the similarity of the clips it goes to, p for
    /// the part in the bucket. (..., m+1, n+1) plan and (..., m, n) similarities; result (...).
    /// </summary>
    private Tensor TransportValue(Tensor augmented, Tensor s)
    {
        long m = s.shape[^2], n = s.shape[^1];
        var rows = augmented.narrow(-2, 0, m);
        var aligned = (rows.narrow(-1, 0, n) * s).sum([-2L, -1L]);
        using var bucketValue = BucketValue.ToScalar();
        using var count = m.ToScalar();
        var bucket = rows.narrow(-1, n, 1).sum([-2L, -1L]).mul(bucketValue);
        return aligned.add(bucket, Scalars.One).div(count);
    }

    private static void CheckFeatures(Tensor t, string name)
    {
        Guard.Rank(t, name, 2);
        Guard.FloatingPoint(t, name);
        if (t.shape[0] < 1 || t.shape[1] < 1)
            throw Guard.Argument(name, "not be empty", $"has shape {Guard.Shape(t)}");
        Guard.Finite(t, name);
    }

    private static Tensor Unit(Tensor x, string name)
    {
        var wide = x.to(x.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32);
        var norm = wide.norm(1, keepdim: true);
        var zero = norm.eq(Scalars.Zero).flatten();
        if (zero.any().item<bool>())
            throw Guard.Argument(name, "have no all-zero row (its cosine similarity is undefined)", $"row {zero.nonzero()[0, 0].item<long>()} is all zeros");
        return wide / norm;
    }
}
