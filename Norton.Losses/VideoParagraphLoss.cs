using Norton.Core.Features;
using Norton.Core.OptimalTransport;
using Norton.Core;
using Norton.Core.Validation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Norton.Losses;

/// <summary>
/// Norton's video-paragraph loss (Eq. 2-6): fused clip-caption similarity, alignable prompt bucket, per-block OT
/// (no gradient through the plan), paragraph logits and a symmetric cross entropy over the G long videos.
/// </summary>
/// <remarks>
/// <para>Steps: <c>coarse = minmax(unit(pt) unit(pv)^T)</c>; fine-grained t2v/v2t (<see cref="FineGrainedSimilarity"/>);
/// <c>fused = (w coarse + (minmax(v2t) + minmax(t2v))/2)/(w+1)</c> (global min-max, docs/quirks.md Q2); p = k-th smallest of
/// diag(fused), <c>k = int(ratio N)</c> (docs/quirks.md Q4); blocks of L x L; bucket OT with epsilon = <c>Scale</c>; plan mass
/// renormalised to L; <c>logits = exp(clamp(logit_scale)) * sum(plan * block)</c>; CE both ways.</para>
/// <para><c>logit_scale</c> is a registered parameter, stored in float64 so that float64 runs see the exact
/// ln(1/0.07) (the original's float32 parameter gives 14.2857141 instead of 1/0.07, docs/quirks.md Q9). It requires a
/// gradient only with <see cref="NortonLossOptions.TrainLogitScale"/>; the original never trained it.</para>
/// </remarks>
public sealed class VideoParagraphLoss : nn.Module<VideoFeatures, TextFeatures, VideoParagraphResult>
{
    private static readonly Scalar TwoInt = 2.ToScalar();

#pragma warning disable IDE1006 // named like the original attribute so that state dicts match
    private readonly Parameter logit_scale;
#pragma warning restore IDE1006
    private readonly NortonLossOptions _options;
    private readonly FineGrainedSimilarity _fine;

    /// <summary>Creates the loss from the relevant options (Length, PromptRatio, Scale, FusionWeight, AlphaLse,
    /// Padding, iterations, logit scale).</summary>
    /// <exception cref="ArgumentException">The options are inconsistent (see <see cref="NortonLossOptions.Validate"/>)
    /// or give no Sinkhorn iteration count.</exception>
    public VideoParagraphLoss(NortonLossOptions? options = null) : base(nameof(VideoParagraphLoss))
    {
        _options = options ?? NortonLossOptions.Paper;
        _options.Validate();
        if (_options.EffectiveSequenceIterations is null)
            throw Guard.Argument(nameof(options), "give the video-paragraph OT a sweep count (SinkhornIterations or SequenceSinkhornIterations)",
                "both are null");
        _fine = new FineGrainedSimilarity(_options.AlphaLse, _options.Padding, _options.FineGrainedMemoryBudgetBytes);
        logit_scale = new Parameter(tensor(_options.LogitScale, dtype: ScalarType.Float64), requires_grad: _options.TrainLogitScale);
        RegisterComponents();
    }

    /// <summary>The fine-grained similarity operator of this loss.</summary>
    internal FineGrainedSimilarity FineGrained => _fine;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _fine.PendingGradients.Release();
        base.Dispose(disposing);
    }

    /// <summary>The log inverse temperature parameter (0-dim float64), clamped before use.</summary>
    public Parameter LogitScale => logit_scale;

    /// <summary>The hyper-parameters (the relevant ones: see the constructor).</summary>
    public NortonLossOptions Options => _options;

    /// <summary>The loss and its two directions, without diagnostics: <c>forward(video, text, diagnostics: false)</c>.</summary>
    /// <param name="video">Videos with frames; N a multiple of Length.</param>
    /// <param name="text">Captions with words; same N, D and dtype.</param>
    /// <returns>The result; the caller owns (disposes) it.</returns>
    /// <exception cref="ArgumentException">See <see cref="forward(VideoFeatures, TextFeatures, bool)"/>.</exception>
    public override VideoParagraphResult forward(VideoFeatures video, TextFeatures text) => forward(video, text, diagnostics: false);

    /// <summary>The loss, its two directions and, on request, the diagnostics.</summary>
    /// <param name="video">Videos with frames; N a multiple of Length.</param>
    /// <param name="text">Captions with words; same N, D and dtype.</param>
    /// <param name="diagnostics">Also return similarities, prompt value, plans, logits and the Sinkhorn outcome.</param>
    /// <returns>The result; the caller owns (disposes) it.</returns>
    /// <exception cref="ArgumentException">N is not a multiple of Length, shapes/dtypes differ, a mask row has no valid
    /// slot, a feature is not finite or zero, or k = int(PromptRatio N) is out of [1, N]. The value checks run in one
    /// device-to-host transfer, and not at all with <see cref="NortonLossOptions.CheckValues"/> = false.</exception>
    public VideoParagraphResult forward(VideoFeatures video, TextFeatures text, bool diagnostics)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(text);
        using var scope = NewDisposeScope();
        var checks = new LossValueChecks(_options.CheckValues);
        var result = Compute(video, text, diagnostics, checks);
        scope.MoveToOuter(result.Tensors());
        return result;
    }

    /// <summary><see cref="forward(VideoFeatures, TextFeatures, bool)"/> with the caller's batched value checks, which
    /// this method reads (once, with the masks the fine-grained layout needs) before any solve; the caller may have
    /// added checks of its own (they report first). Results live in the caller's dispose scope.</summary>
    internal VideoParagraphResult Compute(VideoFeatures video, TextFeatures text, bool diagnostics, LossValueChecks checks)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(text);
        ClipCaptionLoss.CheckPair(video.Pooled, text.Pooled);
        ClipCaptionLoss.AddValueChecks(checks, video.Pooled, text.Pooled);
        long n = video.Count, length = _options.Length;
        if (n % length != 0)
            throw Guard.Argument("the number of clips", $"be a multiple of Length = {length} (whole long videos)", $"is N = {n}", nameof(video));
        long g = n / length;
        long? k = PromptRank(n);

        var computeType = SimilarityMath.ComputeType(video.Pooled.dtype);
        var prepared = _fine.Prepare(text, video, checks);
        var pv = video.Pooled.to(computeType);
        var pt = text.Pooled.to(computeType);
        var pvNorm = pv.norm(-1, keepdim: true);
        var ptNorm = pt.norm(-1, keepdim: true);
        SimilarityMath.NonZeroRows(checks, pvNorm, "video.Pooled");
        SimilarityMath.NonZeroRows(checks, ptNorm, "text.Pooled");
        // The one device-to-host transfer of the call: every value check and the masks (docs/performance.md).
        var (t2v, v2t) = _fine.Run(prepared, checks.Read());
        var coarse = SimilarityMath.MinMax((pt / ptNorm).mm((pv / pvNorm).t()));            // [text, video]
        double w = _options.FusionWeight;
        using var wScalar = w.ToScalar();
        using var wPlusOne = (w + 1).ToScalar();
        var fused = coarse.mul(wScalar).add(SimilarityMath.MinMax(v2t).add(SimilarityMath.MinMax(t2v), Scalars.One).div(TwoInt), Scalars.One).div(wPlusOne);
        var blocks = fused.reshape(g, length, g, length).permute(0, 2, 1, 3).reshape(g * g, length, length);

        Tensor? p = k is long rank ? PromptBucket.KthSmallest(fused.diagonal().detach(), rank) : null;
        // No value checks in the solver: the call's one read above proved the features finite, from which the fused
        // similarities and the bucket value follow; the marginals are balanced by construction (docs/performance.md).
        var ot = new SinkhornOptions { Epsilon = _options.Scale, MaxIterations = _options.EffectiveSequenceIterations!.Value, CheckValues = false };
        Tensor plan, logPlanAugmented;
        SinkhornDiagnostics? sinkhorn = null;
        var problem = p is null
            ? new TransportProblem(blocks.detach())
            : new TransportProblem(blocks.detach(), bucket: PromptBucket.FromTensor(p));
        using (var solved = Sinkhorn.Solve(problem, ot))
        {
            logPlanAugmented = (solved.AugmentedLogPlan ?? solved.LogPlan).detach();
            plan = PromptBucket.RenormalizeMass(solved.Plan, length).detach();
            if (diagnostics) sinkhorn = new SinkhornDiagnostics(solved);
        }

        // The original's parameter is float32 (docs/quirks.md Q9); MimicFloat32Constants computes the temperature that way.
        using var scaleMin = _options.LogitScaleMin.ToScalar();
        using var scaleMax = _options.LogitScaleMax.ToScalar();
        var scaleType = _options.MimicFloat32Constants ? ScalarType.Float32 : computeType;
        var temperature = logit_scale.to(scaleType).clamp(scaleMin, scaleMax).exp().to(computeType);
        var logits = temperature * (plan * blocks).sum([1L, 2L]).reshape(g, g);
        var labels = Scalars.Arange(g, logits.device);
        var lossT = cross_entropy(logits, labels);          // paragraph -> video
        var lossV = cross_entropy(logits.t(), labels);      // video -> paragraph
        var loss = lossT.add(lossV, Scalars.One);

        Tensor? Keep(Tensor? t) => diagnostics ? t : null;
        return new VideoParagraphResult
        {
            Loss = loss,
            TextToVideo = lossT,
            VideoToText = lossV,
            PromptK = k,
            PromptValue = Keep(p),
            Temperature = Keep(temperature),
            Coarse = Keep(coarse),
            FineTextToVideo = Keep(t2v),
            FineVideoToText = Keep(v2t),
            Fused = Keep(fused),
            Blocks = Keep(blocks),
            LogPlanAugmented = Keep(logPlanAugmented),
            Plan = Keep(plan),
            ParagraphLogits = Keep(logits),
            Sinkhorn = sinkhorn,
        };
    }

    private long? PromptRank(long n)
    {
        if (_options.PromptRatio is not double ratio) return null;
        long k = (long)(ratio * n);   // python's int(ratio * N): double product, truncated (docs/quirks.md Q4)
        if (k < 1 || k > n)
            throw Guard.Argument("k = int(PromptRatio * N)", $"lie in [1, {n}] (the original's kthvalue fails otherwise; use more clips per batch or a larger PromptRatio)",
                $"is int({ratio} * {n}) = {k}", "video");
        return k;
    }
}
