using Norton.Core.Validation;
using Norton.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Losses.Baselines;

/// <summary>
/// MIL-NCE (Miech et al., CVPR 2020), the multiple-instance baseline for noisy narrations: each clip has a bag of
/// candidate captions, and the loss raises their summed likelihood against all negatives.
/// </summary>
/// <remarks>
/// <para>With <c>S = video text^T / temperature</c> ([video, text]) and a positive mask M (M_ij: caption j is a candidate
/// of clip i), for each clip i:</para>
/// <para><c>loss_i = LSE({S_ij : all j} U {S_kj : all k, j with M_ij}) - LSE_{j: M_ij} S_ij</c>,</para>
/// <para>i.e. the denominator holds clip i against every caption and every clip against i's candidate captions (the
/// positives appear in both parts, as in the authors' formulation). The loss is the mean over clips.
/// <see cref="NeighbourMask"/> builds the usual bags: the captions within a window of the clip inside its long video.</para>
/// </remarks>
public sealed class MilNceLoss : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="temperature">Divides the logits; finite and &gt; 0 (1 = raw dot products).</param>
    /// <param name="normalize">L2-normalise both feature sets first.</param>
    /// <exception cref="ArgumentOutOfRangeException">The temperature is not finite and positive.</exception>
    public MilNceLoss(double temperature = 1.0, bool normalize = false) : base(nameof(MilNceLoss))
    {
        Guard.Positive(temperature, nameof(temperature));
        Temperature = temperature;
        Normalize = normalize;
        RegisterComponents();
    }

    /// <summary>Logit temperature.</summary>
    public double Temperature { get; }

    /// <summary>Whether features are L2-normalised first.</summary>
    public bool Normalize { get; }

    /// <summary>The loss.</summary>
    /// <param name="video">(N, D) clip features.</param>
    /// <param name="text">(N, D) caption features.</param>
    /// <param name="positives">(N, N) bool, [clip, caption]: the candidate captions of each clip; every row needs one.</param>
    /// <exception cref="ArgumentException">Shapes or dtypes differ, a feature is not finite, or the mask is malformed.</exception>
    public override Tensor forward(Tensor video, Tensor text, Tensor positives)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(positives);
        ClipCaptionLoss.CheckPair(video, text);
        long n = video.shape[0];
        Guard.DType(positives, ScalarType.Bool, nameof(positives));
        Guard.ShapeIs(positives, nameof(positives), n, n);
        using var scope = NewDisposeScope();
        var empty = positives.any(1).logical_not();
        if (empty.any().item<bool>())
            throw Guard.Argument(nameof(positives), "give every clip at least one candidate caption",
                $"row {empty.nonzero()[0, 0].item<long>()} has none");

        var s = InfoNceLoss.Logits(video, text, Temperature, Normalize);
        var mask = positives.to(s.device);
        var notPositive = mask.logical_not();
        var numerator = s.masked_fill(notPositive, Scalars.NegativeInfinity).logsumexp(1);                 // (N)
        var overCaptions = s.logsumexp(1);                                                               // clip i vs every caption
        var overClips = s.logsumexp(0).unsqueeze(0).expand(n, n).masked_fill(notPositive, Scalars.NegativeInfinity).logsumexp(1);
        var denominator = stack([overCaptions, overClips], 1).logsumexp(1);
        return (denominator - numerator).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Bags of candidate captions: caption j is a candidate of clip i when both lie in the same long video of
    /// <paramref name="length"/> clips and <c>|i - j| &lt;= window</c>. Window 0 = only the paired caption.
    /// </summary>
    /// <param name="count">N, a multiple of <paramref name="length"/>.</param>
    /// <param name="length">Clips per long video (&gt;= 1).</param>
    /// <param name="window">Neighbours on each side (&gt;= 0).</param>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public static Tensor NeighbourMask(long count, long length, long window)
    {
        Guard.AtLeast(count, 1, nameof(count));
        Guard.AtLeast(length, 1, nameof(length));
        Guard.AtLeast(window, 0, nameof(window));
        if (count % length != 0)
            throw Guard.Argument(nameof(count), $"be a multiple of length = {length}", $"is {count}");
        using var scope = NewDisposeScope();
        using var lengthScalar = length.ToScalar();
        using var windowScalar = window.ToScalar();
        var i = Scalars.Arange(count).unsqueeze(1);
        var j = Scalars.Arange(count).unsqueeze(0);
        var sameVideo = i.floor_divide(lengthScalar) == j.floor_divide(lengthScalar);
        return sameVideo.logical_and((i - j).abs().le(windowScalar)).MoveToOuterDisposeScope();
    }
}
