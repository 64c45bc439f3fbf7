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
/// <para>Host reads: that packing needs the masks' values. With value checks on they ride in the checks' one transfer;
/// with checks off, CPU masks are read in place (no transfer), and for tensors on a device the kernel runs a dense
/// layout instead, every slot in the input's order with the masks applied on the device, which reads nothing
/// (docs/performance.md, "Host reads of the loss").</para>
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

    /// <summary>How masked batches are laid out (<see cref="FineGrainedLayout"/>); <see cref="FineGrainedLayout.Auto"/>
    /// unless a test forces one. Read by <see cref="Prepare"/>.</summary>
    internal FineGrainedLayout Layout { get; set; } = FineGrainedLayout.Auto;

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

    /// <summary>How one side's mask reaches the kernel: not given (every slot valid), a payload of the checks' one
    /// transfer (index in <see cref="LossValueChecks.Read"/>'s result), read in place from CPU memory
    /// (<see cref="Host"/>), or applied on the device in the dense layout (<see cref="OnDevice"/>).</summary>
    internal readonly record struct MaskSource(int Payload, bool[]? Host, bool OnDevice)
    {
        /// <summary>No mask given.</summary>
        public static MaskSource None => new(-1, null, false);
    }

    /// <summary>The inputs of one call, checked for shape and dtype, with their value checks and mask reads queued.</summary>
    internal readonly record struct Prepared(Tensor Words, Tensor Frames, Tensor TextMask, Tensor VideoMask,
        MaskSource Text, MaskSource Video);

    /// <summary>Shape/dtype checks (immediate), value checks and the masks' host copy (queued on
    /// <paramref name="checks"/>, read once by the caller; with checks off, read in place from CPU memory, or not at
    /// all in the <see cref="FineGrainedLayout.Dense"/> layout). Tensors live in the caller's dispose scope.</summary>
    internal Prepared Prepare(TextFeatures text, VideoFeatures video, LossValueChecks checks)
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
        bool dense = Layout switch
        {
            FineGrainedLayout.Dense => true,
            FineGrainedLayout.Packed => false,
            _ => !checks.Enabled && words.device_type != DeviceType.CPU,
        };
        return new Prepared(words, frames, textMask, videoMask,
            Source(text.Mask is not null, textMask, checks, dense), Source(video.Mask is not null, videoMask, checks, dense));
    }

    /// <summary>Where one side's mask comes from (docs/performance.md, "Host reads of the loss").</summary>
    private static MaskSource Source(bool given, Tensor mask, LossValueChecks checks, bool dense)
    {
        // Without a mask every slot is valid: the plan needs no read.
        if (!given) return MaskSource.None;
        if (dense) return new MaskSource(-1, null, true);
        // Checks on: the mask rides in their one transfer. Off: CPU memory is read where it lies (no transfer, no
        // sync); a device mask in the packed layout (forced) costs one transfer, made by the checks' Read.
        if (checks.Enabled || mask.device_type != DeviceType.CPU) return new MaskSource(checks.AddPayload(mask), null, false);
        return new MaskSource(-1, Norton.Core.Validation.HostReads.InPlaceBools(mask), false);
    }

    /// <summary>The similarities of prepared inputs, given the payloads <see cref="LossValueChecks.Read"/> returned.</summary>
    internal (Tensor TextToVideo, Tensor VideoToText) Run(Prepared prepared, bool[][] payloads)
    {
        using var scope = NewDisposeScope();
        var (words, frames) = (prepared.Words, prepared.Frames);
        var computeType = words.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        long T = words.shape[1], V = frames.shape[1];
        // A mask applied on the device (dense layout) enters the plan as all-valid: the plan then comes from shapes alone.
        bool[] HostMask(MaskSource source, Tensor tokens) =>
            source.Payload >= 0 ? payloads[source.Payload]
            : source.Host ?? Enumerable.Repeat(true, (int)(tokens.shape[0] * tokens.shape[1])).ToArray();
        var plan = FineGrainedPlan.Create(HostMask(prepared.Text, words), T, HostMask(prepared.Video, frames), V,
            Alpha, computeType == ScalarType.Float64 ? 8 : 4, MemoryBudgetBytes);
        Tensor? textValid = prepared.Text.OnDevice ? prepared.TextMask.flatten() : null;      // (Nt*T), layout order
        Tensor? videoValid = prepared.Video.OnDevice ? prepared.VideoMask.flatten() : null;   // (Nv*V)
        var sums = FineGrainedLseFunction.apply(words.to(computeType).reshape(-1, words.shape[2]),
            frames.to(computeType).reshape(-1, frames.shape[2]), plan, _pending, textValid, videoValid);
        var device = words.device;
        // Identity layouts keep the input's order: no rank tensor to copy to the device.
        using var textRank = plan.Text.IsIdentity ? null : tensor(plan.Text.Rank, device: device);
        using var videoRank = plan.Video.IsIdentity ? null : tensor(plan.Video.Rank, device: device);
        // Valid counts: the plan's, or the device mask's row sums (dense layout; exact in the compute dtype).
        Tensor Counts(FineGrainedPlan.Side side, MaskSource source, Tensor mask) => source.OnDevice
            ? mask.sum(1, type: computeType)
            : tensor(side.Counts, device: device).to(computeType);
        using var nWords = Counts(plan.Text, prepared.Text, prepared.TextMask).unsqueeze(1);       // (Nt, 1)
        using var nFrames = Counts(plan.Video, prepared.Video, prepared.VideoMask).unsqueeze(0);   // (1, Nv)
        // Each N x N intermediate is freed as soon as it is used and the padding terms are added in place (autograd
        // keeps none of them): at most three N x N buffers live at a time instead of a dozen until the call ends.
        var t2v = Finish(sums[0], textRank, videoRank, nWords, nFrames, T);
        var v2t = Finish(sums[1], textRank, videoRank, nFrames, nWords, V);
        return (t2v.MoveToOuterDisposeScope(), v2t.MoveToOuterDisposeScope());
    }

    /// <summary>One direction from the kernel's sorted sums (disposed here): back to the original order, the padded
    /// slots' terms (<see cref="FineGrainedPadding.Original"/>) added, divided by the valid counts <paramref name="own"/>
    /// of the summed side; <paramref name="other"/> holds the other side's valid counts, <paramref name="slots"/> the
    /// summed side's padded length; a null rank is the identity order.</summary>
    private Tensor Finish(Tensor sortedSum, Tensor? textRank, Tensor? videoRank, Tensor own, Tensor other, long slots)
    {
        Tensor sum;
        using (sortedSum)
        using (var rows = textRank is null ? sortedSum.alias() : sortedSum.index_select(0, textRank))
            sum = videoRank is null ? rows.clone() : rows.index_select(1, videoRank);
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
