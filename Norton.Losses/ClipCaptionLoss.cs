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
public sealed class ClipCaptionLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="beta">Weight of the OT plan in the targets, in [0, 1] (paper 0.3).</param>
    /// <param name="sinkhornIterations">Sinkhorn sweeps (&gt;= 0, paper 50); null: plain symmetric InfoNCE.</param>
    /// <param name="mimicFloat32Constants">Use the original's float32 identity weight <c>float32(1 - beta)</c> (docs/quirks.md Q10).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public ClipCaptionLoss(double beta = 0.3, int? sinkhornIterations = 50, bool mimicFloat32Constants = false) : base(nameof(ClipCaptionLoss))
    {
        MimicFloat32Constants = mimicFloat32Constants;
        Guard.InRange(beta, 0, 1, nameof(beta));
        if (sinkhornIterations is int k) Guard.AtLeast(k, 0, nameof(sinkhornIterations));
        Beta = beta;
        SinkhornIterations = sinkhornIterations;
        RegisterComponents();
    }

    /// <summary>Weight of the OT plan in the targets.</summary>
    public double Beta { get; }

    /// <summary>Whether the identity weight is the original's float32 <c>1 - beta</c>.</summary>
    public bool MimicFloat32Constants { get; }

    /// <summary>Sinkhorn sweeps, or null (OT off).</summary>
    public int? SinkhornIterations { get; }

    /// <summary>The scalar loss.</summary>
    /// <param name="pooledVideo">(N, D) pooled video features.</param>
    /// <param name="pooledText">(N, D) pooled caption features.</param>
    public override Tensor forward(Tensor pooledVideo, Tensor pooledText)
    {
        using var result = Compute(pooledVideo, pooledText);
        return result.Loss.alias();
    }

    /// <summary>The loss, its two directions and, on request, the logits, the plan and the Sinkhorn outcome.</summary>
    /// <param name="pooledVideo">(N, D) pooled video features (float16/bfloat16 are computed in float32).</param>
    /// <param name="pooledText">(N, D) pooled caption features, same N, D and dtype.</param>
    /// <param name="diagnostics">Also return logits, plan and Sinkhorn outcome.</param>
    /// <exception cref="ArgumentException">Shapes or dtypes differ, or a feature is not finite.</exception>
    public ClipCaptionResult Compute(Tensor pooledVideo, Tensor pooledText, bool diagnostics = false) =>
        Compute(pooledVideo, pooledText, diagnostics, checkValues: true);

    /// <summary><see cref="Compute(Tensor, Tensor, bool)"/>; <paramref name="checkValues"/> false skips the finite check
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
            throw new ArgumentException(
                $"video.Pooled and text.Pooled must both be (N, D) with the same N and D, but are {Guard.Shape(pooledVideo)} and {Guard.Shape(pooledText)}.", "text");
        if (pooledVideo.dtype != pooledText.dtype)
            throw new ArgumentException($"video.Pooled is {pooledVideo.dtype} but text.Pooled is {pooledText.dtype}; they must match.", "text");
        if (!TokenFeatureChecks.SameDevice(pooledVideo, pooledText))
            throw new ArgumentException($"video.Pooled is on {pooledVideo.device} but text.Pooled on {pooledText.device}; they must match.", "text");
    }

    /// <summary>Adds the pooled pair's value checks (finite features) to a call's batched checks.</summary>
    internal static void AddValueChecks(LossValueChecks checks, Tensor pooledVideo, Tensor pooledText)
    {
        TokenFeatureChecks.Finite(checks, pooledVideo, "video.Pooled");
        TokenFeatureChecks.Finite(checks, pooledText, "text.Pooled");
    }
}
