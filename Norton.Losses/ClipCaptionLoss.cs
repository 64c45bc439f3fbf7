using Norton.Core.OptimalTransport;
using Norton.Core.Validation;
using Norton.Core;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Norton.Losses;

/// <summary>
/// Norton's clip-caption loss with faulty-negative exploitation (Eq. 7-8): the symmetric cross entropy of the raw
/// pooled logits <c>S = pooled_video @ pooled_text^T</c> against the soft targets <c>Beta*Q + (1-Beta)*I</c>, where Q is
/// the (2N)-scaled entropic OT plan of S (epsilon 1, Norton's marginals, fixed sweeps) and carries no gradient
/// (docs/quirks.md Q1). Without Sinkhorn it is the standard symmetric InfoNCE.
/// </summary>
/// <remarks>The features are not normalised here (VideoCLIP convention, docs/quirks.md Q7). The module has no parameters.</remarks>
public sealed class ClipCaptionLoss : nn.Module<Tensor, Tensor, ClipCaptionResult>
{
    /// <summary>Creates the loss from the relevant options: <see cref="NortonLossOptions.Beta"/>,
    /// <see cref="NortonLossOptions.SinkhornIterations"/> (null: plain symmetric InfoNCE),
    /// <see cref="NortonLossOptions.MimicFloat32Constants"/> (the original's float32 identity weight
    /// <c>float32(1 - beta)</c>, docs/quirks.md Q10) and <see cref="NortonLossOptions.CheckValues"/>; the same options
    /// type as <see cref="VideoParagraphLoss"/> and <see cref="NortonLoss"/>.</summary>
    /// <param name="options">Hyper-parameters; null = the paper's (<see cref="NortonLossOptions.Paper"/>).</param>
    /// <exception cref="ArgumentException">The options are inconsistent (see <see cref="NortonLossOptions.Validate"/>).</exception>
    public ClipCaptionLoss(NortonLossOptions? options = null) : base(nameof(ClipCaptionLoss))
    {
        Options = options ?? NortonLossOptions.Paper;
        Options.Validate();
        RegisterComponents();
    }

    /// <summary>The hyper-parameters (the relevant ones: see the constructor).</summary>
    public NortonLossOptions Options { get; }

    /// <summary>Weight of the OT plan in the targets.</summary>
    public double Beta => Options.Beta;

    /// <summary>Whether the identity weight is the original's float32 <c>1 - beta</c>.</summary>
    public bool MimicFloat32Constants => Options.MimicFloat32Constants;

    /// <summary>Sinkhorn sweeps, or null (OT off).</summary>
    public int? SinkhornIterations => Options.SinkhornIterations;

    /// <summary>The loss and its two directions, without diagnostics: <c>forward(pooledVideo, pooledText, diagnostics: false)</c>.</summary>
    /// <param name="pooledVideo">(N, D) pooled video features (float16/bfloat16 are computed in float32).</param>
    /// <param name="pooledText">(N, D) pooled caption features, same N, D and dtype.</param>
    /// <returns>The result; the caller owns (disposes) it.</returns>
    /// <exception cref="ArgumentException">Shapes or dtypes differ, or a feature is not finite.</exception>
    public override ClipCaptionResult forward(Tensor pooledVideo, Tensor pooledText) => forward(pooledVideo, pooledText, diagnostics: false);

    /// <summary>The loss, its two directions and, on request, the logits, the plan and the Sinkhorn outcome.</summary>
    /// <param name="pooledVideo">(N, D) pooled video features (float16/bfloat16 are computed in float32).</param>
    /// <param name="pooledText">(N, D) pooled caption features, same N, D and dtype.</param>
    /// <param name="diagnostics">Also return logits, plan and Sinkhorn outcome.</param>
    /// <returns>The result; the caller owns (disposes) it.</returns>
    /// <exception cref="ArgumentException">Shapes or dtypes differ, or a feature is not finite (checked unless
    /// <see cref="NortonLossOptions.CheckValues"/> is false).</exception>
    public ClipCaptionResult forward(Tensor pooledVideo, Tensor pooledText, bool diagnostics) =>
        Compute(pooledVideo, pooledText, diagnostics, checkValues: Options.CheckValues);

    /// <summary><see cref="forward(Tensor, Tensor, bool)"/>; <paramref name="checkValues"/> false skips the finite check
    /// (the caller checked the values already, or <see cref="NortonLossOptions.CheckValues"/> is off).</summary>
    internal ClipCaptionResult Compute(Tensor pooledVideo, Tensor pooledText, bool diagnostics, bool checkValues)
    {
        ArgumentNullException.ThrowIfNull(pooledVideo);
        ArgumentNullException.ThrowIfNull(pooledText);
        CheckPair(pooledVideo, pooledText);
        using var scope = NewDisposeScope();
        if (checkValues)
        {
            var checks = new LossValueChecks(enabled: true);
            AddValueChecks(checks, pooledVideo, pooledText);
            checks.Read();
        }
        var computeType = SimilarityMath.ComputeType(pooledVideo.dtype);
        var pv = pooledVideo.to(computeType);
        var pt = pooledText.to(computeType);
        long n = pv.shape[0];
        var logits = pv.mm(pt.t());                                     // [video, text]
        var labels = Scalars.Arange(n, pv.device);
        Tensor v2t, t2v;
        Tensor? plan = null;
        SinkhornDiagnostics? sinkhorn = null;
        if (SinkhornIterations is not int iterations)
        {
            v2t = cross_entropy(logits, labels);
            t2v = cross_entropy(logits.t(), labels);
        }
        else
        {
            // No value checks in the solver (they would be a transfer of their own): the logits of checked, finite
            // features are finite, and Norton's marginals are balanced by construction (docs/performance.md).
            using (var solved = Sinkhorn.Solve(new TransportProblem(logits.detach()),
                       new SinkhornOptions { Epsilon = 1, MaxIterations = iterations, CheckValues = false }))
            {
                plan = solved.Plan.detach();
                if (diagnostics) sinkhorn = new SinkhornDiagnostics(solved);
            }
            var eye = torch.eye(n, dtype: computeType, device: pv.device);
            // The original builds the identity with torch.zeros (float32) whatever the input dtype (docs/quirks.md Q10).
            double keep = MimicFloat32Constants ? (float)(1 - Beta) : 1 - Beta;
            using var betaScalar = Beta.ToScalar();
            using var keepScalar = keep.ToScalar();
            var targetV = plan.mul(betaScalar).add(eye.mul(keepScalar), Scalars.One);
            var targetT = plan.t().mul(betaScalar).add(eye.mul(keepScalar), Scalars.One);
            v2t = -(log_softmax(logits, 1) * targetV).sum(1).mean();
            t2v = -(log_softmax(logits.t(), 1) * targetT).sum(1).mean();
        }
        var loss = v2t.add(t2v, Scalars.One);
        return new ClipCaptionResult(loss.MoveToOuterDisposeScope(), v2t.MoveToOuterDisposeScope(), t2v.MoveToOuterDisposeScope(),
            diagnostics ? logits.MoveToOuterDisposeScope() : null,
            diagnostics ? plan?.MoveToOuterDisposeScope() : null,
            sinkhorn);
    }

    /// <summary>Shapes, dtypes and devices of the pooled pair (no value is read).</summary>
    internal static void CheckPair(Tensor pooledVideo, Tensor pooledText)
    {
        Guard.FloatingPoint(pooledVideo, "video.Pooled");
        Guard.FloatingPoint(pooledText, "text.Pooled");
        if (pooledVideo.dim() != 2 || pooledText.dim() != 2 || !pooledVideo.shape.SequenceEqual(pooledText.shape))
            throw Guard.Argument("video.Pooled and text.Pooled", "both be (N, D) with the same N and D",
                $"are {Guard.Shape(pooledVideo)} and {Guard.Shape(pooledText)}", "text");
        if (pooledVideo.dtype != pooledText.dtype)
            throw Guard.Argument("text.Pooled", $"have the dtype of video.Pooled ({pooledVideo.dtype})", $"has {pooledText.dtype}", "text");
        if (!Guard.SameDevice(pooledVideo, pooledText))
            throw Guard.Argument("text.Pooled", $"be on the device of video.Pooled ({pooledVideo.device})", $"is on {pooledText.device}", "text");
    }

    /// <summary>Adds the pooled pair's value checks (finite features) to a call's batched checks.</summary>
    internal static void AddValueChecks(LossValueChecks checks, Tensor pooledVideo, Tensor pooledText)
    {
        TokenFeatureChecks.Finite(checks, pooledVideo, "video.Pooled");
        TokenFeatureChecks.Finite(checks, pooledText, "text.Pooled");
    }
}
