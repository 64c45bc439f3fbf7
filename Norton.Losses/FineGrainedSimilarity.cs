using Norton.Core.Features;
using Norton.Core.Validation;
using Norton.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Losses;

/// <summary>
/// Norton's fine-grained clip-caption similarity (Eq. 5): the frame-word log-sum-exp in both directions,
/// before min-max normalisation, [text, video].
/// </summary>
/// <remarks>
/// <para>With <c>s = &lt;unit(word a,t), unit(frame b,v)&gt;</c>, <c>Tv_a</c> valid words, <c>Vv_b</c> valid frames and
/// padded lengths T, V (<see cref="FineGrainedPadding.Original"/>):</para>
/// <para><c>t2v[a,b] = (sum_{t valid} alpha*LSE_{v valid}(s/alpha) + (T - Tv_a)*alpha*log Vv_b) / Tv_a</c>,</para>
/// <para><c>v2t[a,b] = (sum_{v valid} alpha*LSE_{t valid}(s/alpha) + (V - Vv_b)*alpha*log Tv_a) / Vv_b</c>;</para>
/// <para><see cref="FineGrainedPadding.IgnorePadded"/> drops the padded terms and averages over valid slots.</para>
/// <para>Memory and work: only valid words and frames enter the products (the padded slots' terms are closed-form).
/// They are packed into two matrices ordered by valid count and multiplied block by block under
/// <see cref="MemoryBudgetBytes"/>; the log-sum-exp reductions run on each block and only N x N sums are kept. The
/// backward is hand-written and recomputes each block's product, so neither direction ever holds the
/// N x N x T x V tensor. Values and gradients equal the direct computation up to round-off.</para>
/// <para>float16/bfloat16 features are computed in float32 (results float32); float64 stays float64.</para>
/// </remarks>
public sealed class FineGrainedSimilarity : nn.Module<TextFeatures, VideoFeatures, (Tensor TextToVideo, Tensor VideoToText)>
{
    /// <summary>Default budget for the product blocks: 64 MiB.</summary>
    public const long DefaultMemoryBudgetBytes = 64L << 20;

    /// <summary>Creates the operator.</summary>
    /// <param name="alpha">Temperature of the log-sum-exp (Norton's <c>alpha_lse</c>, paper 1); finite and &gt; 0.</param>
    /// <param name="padding">Arithmetic of padded slots; <see cref="FineGrainedPadding.Original"/> for parity with Norton.</param>
    /// <param name="memoryBudgetBytes">Budget for the product blocks (at least 1 KiB); larger blocks run faster.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public FineGrainedSimilarity(double alpha = 1.0, FineGrainedPadding padding = FineGrainedPadding.Original,
        long memoryBudgetBytes = DefaultMemoryBudgetBytes) : base(nameof(FineGrainedSimilarity))
    {
        Guard.Positive(alpha, nameof(alpha));
        Guard.Defined(padding, nameof(padding));
        Guard.AtLeast(memoryBudgetBytes, 1024, nameof(memoryBudgetBytes));
        Alpha = alpha;
        Padding = padding;
        MemoryBudgetBytes = memoryBudgetBytes;
        RegisterComponents();
    }

    /// <summary>Log-sum-exp temperature.</summary>
    public double Alpha { get; }

    /// <summary>Arithmetic of padded slots.</summary>
    public FineGrainedPadding Padding { get; }

    /// <summary>Budget for the product blocks, bytes.</summary>
    public long MemoryBudgetBytes { get; }

    // Gradients this operator's backward handed to autograd, disposed on its next call (see FineGrainedLseFunction).
    private readonly FineGrainedPendingGradients _pending = new();

    /// <summary>The gradients of this operator's last backward, freed on its next call (or by its Dispose).</summary>
    internal FineGrainedPendingGradients PendingGradients => _pending;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _pending.Release();
        base.Dispose(disposing);
    }

    /// <summary>Computes (t2v, v2t), both (N_text, N_video), differentiable w.r.t. the word and frame features.</summary>
    /// <param name="text">Captions; <see cref="TextFeatures.Words"/> required.</param>
    /// <param name="video">Videos; <see cref="VideoFeatures.Frames"/> required.</param>
    /// <exception cref="ArgumentException">Missing token features, D or dtype differ, a mask is not 0/1, a row has no
    /// valid slot, a feature is not finite, or a valid slot's feature is all zeros (its direction is undefined).</exception>
    public override (Tensor TextToVideo, Tensor VideoToText) forward(TextFeatures text, VideoFeatures video)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(video);
        using var scope = NewDisposeScope();
        var checks = new LossValueChecks(enabled: true);
        TokenFeatureChecks.Finite(checks, text.Pooled, "text.Pooled");
        TokenFeatureChecks.Finite(checks, video.Pooled, "video.Pooled");
        var prepared = Prepare(text, video, checks);
        var (t2v, v2t) = Run(prepared, checks.Read());
        return (t2v.MoveToOuterDisposeScope(), v2t.MoveToOuterDisposeScope());
    }

    /// <summary>The inputs of one call, checked for shape and dtype, with their value checks and mask reads queued.</summary>
    internal readonly record struct Prepared(Tensor Words, Tensor Frames, Tensor TextMask, Tensor VideoMask,
        int TextMaskPayload, int VideoMaskPayload);

    /// <summary>Shape/dtype checks (immediate), value checks and the masks' host copy (queued on
    /// <paramref name="checks"/>, read once by the caller). Tensors live in the caller's dispose scope.</summary>
    internal static Prepared Prepare(TextFeatures text, VideoFeatures video, LossValueChecks checks)
    {
        var words = text.Words ?? throw Guard.Argument("text.Words",
            "be given for the video-paragraph loss (sequence branch)", "is null", "text");
        var frames = video.Frames ?? throw Guard.Argument("video.Frames",
            "be given for the video-paragraph loss (sequence branch)", "is null", "video");
        if (words.shape[2] != frames.shape[2])
            throw Guard.Argument("video.Frames", $"have the D of text.Words (D = {words.shape[2]})", $"has D = {frames.shape[2]}", nameof(video));
        if (words.dtype != frames.dtype)
            throw Guard.Argument("video.Frames", $"have the dtype of text.Words ({words.dtype})", $"has {frames.dtype}", nameof(video));
        TokenFeatureChecks.Finite(checks, words, "text.Words");
        TokenFeatureChecks.Finite(checks, frames, "video.Frames");
        var textMask = TokenFeatureChecks.BoolMask(checks, words, text.Mask, "text.Mask");
        var videoMask = TokenFeatureChecks.BoolMask(checks, frames, video.Mask, "video.Mask");
        CheckDirections(checks, words, textMask, "text.Words");
        CheckDirections(checks, frames, videoMask, "video.Frames");
        // Without a mask every slot is valid: the plan needs no read.
        int textPayload = text.Mask is null ? -1 : checks.AddPayload(textMask);
        int videoPayload = video.Mask is null ? -1 : checks.AddPayload(videoMask);
        return new Prepared(words, frames, textMask, videoMask, textPayload, videoPayload);
    }

    /// <summary>The similarities of prepared inputs, given the payloads <see cref="LossValueChecks.Read"/> returned.</summary>
    internal (Tensor TextToVideo, Tensor VideoToText) Run(Prepared prepared, bool[][] payloads)
    {
        using var scope = NewDisposeScope();
        var (words, frames) = (prepared.Words, prepared.Frames);
        var computeType = words.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        long T = words.shape[1], V = frames.shape[1];
        bool[] HostMask(int payload, Tensor tokens) =>
            payload >= 0 ? payloads[payload] : Enumerable.Repeat(true, (int)(tokens.shape[0] * tokens.shape[1])).ToArray();
        var plan = FineGrainedPlan.Create(HostMask(prepared.TextMaskPayload, words), T, HostMask(prepared.VideoMaskPayload, frames), V,
            Alpha, computeType == ScalarType.Float64 ? 8 : 4, MemoryBudgetBytes);
        var sums = FineGrainedLseFunction.apply(words.to(computeType).reshape(-1, words.shape[2]),
            frames.to(computeType).reshape(-1, frames.shape[2]), plan, _pending);
        var device = words.device;
        using var textRank = tensor(plan.Text.Rank, device: device);
        using var videoRank = tensor(plan.Video.Rank, device: device);
        using var nWords = tensor(plan.Text.Counts, device: device).to(computeType).unsqueeze(1);     // (Nt, 1)
        using var nFrames = tensor(plan.Video.Counts, device: device).to(computeType).unsqueeze(0);   // (1, Nv)
        // Each N x N intermediate is freed as soon as it is used and the padding terms are added in place (autograd
        // keeps none of them): at most three N x N buffers live at a time instead of a dozen until the call ends.
        var t2v = Finish(sums[0], textRank, videoRank, nWords, nFrames, T);
        var v2t = Finish(sums[1], textRank, videoRank, nFrames, nWords, V);
        return (t2v.MoveToOuterDisposeScope(), v2t.MoveToOuterDisposeScope());
    }

    /// <summary>One direction from the kernel's sorted sums (disposed here): back to the original order, the padded
    /// slots' terms (<see cref="FineGrainedPadding.Original"/>) added, divided by the valid counts <paramref name="own"/>
    /// of the summed side; <paramref name="other"/> holds the other side's valid counts, <paramref name="slots"/> the
    /// summed side's padded length.</summary>
    private Tensor Finish(Tensor sortedSum, Tensor textRank, Tensor videoRank, Tensor own, Tensor other, long slots)
    {
        Tensor sum;
        using (sortedSum)
        using (var rows = sortedSum.index_select(0, textRank))
            sum = rows.index_select(1, videoRank);
        if (Padding == FineGrainedPadding.Original)
        {
            // docs/quirks.md Q3: each padded word adds alpha*log(#valid frames), each padded frame alpha*log(#valid words).
            using var alpha = Alpha.ToScalar();
            using var length = slots.ToScalar();
            using var padded = own.neg().add(length, Scalars.One);
            using var logOther = other.log().mul(alpha);
            using var terms = padded * logOther;
            sum.add_(terms, Scalars.One);
        }
        return sum.div_(own);
    }

    /// <summary>Adds "no valid slot's feature is all zeros" (its unit vector, direction, is undefined) to the checks.</summary>
    private static void CheckDirections(LossValueChecks checks, Tensor tokens, Tensor validMask, string name) =>
        checks.Add(() => tokens.norm(-1).eq(Scalars.Zero).logical_and(validMask).any(), () =>
        {
            var at = tokens.norm(-1).eq(Scalars.Zero).logical_and(validMask).nonzero()[0];
            throw Guard.Argument(name, "have a non-zero feature at every valid slot (its direction, a unit vector, is undefined otherwise)",
                $"{name}[{at[0].item<long>()}, {at[1].item<long>()}] is all zeros");
        });
}
