using Norton.Core.Validation;
using Norton.Core;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Norton.Losses.Baselines;

/// <summary>
/// Symmetric InfoNCE, the contrastive baseline: <c>CE(S, I) + CE(S^T, I)</c> with <c>S = video text^T / temperature</c>
/// ([video, text]) and clip i paired with caption i.
/// </summary>
/// <remarks>
/// The two directions are added, not averaged, as Norton's clip-caption loss does; with the defaults (raw features,
/// temperature 1) it equals <see cref="ClipCaptionLoss"/> with the OT switched off (VideoCLIP's loss).
/// </remarks>
public sealed class InfoNceLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="temperature">Divides the logits; finite and &gt; 0 (1 = raw dot products).</param>
    /// <param name="normalize">L2-normalise both feature sets first (cosine logits, CLIP style).</param>
    /// <exception cref="ArgumentOutOfRangeException">The temperature is not finite and positive.</exception>
    public InfoNceLoss(double temperature = 1.0, bool normalize = false) : base(nameof(InfoNceLoss))
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

    /// <summary>The loss for (N, D) video and caption features (float16/bfloat16 computed in float32).</summary>
    /// <exception cref="ArgumentException">Shapes or dtypes differ, a feature is not finite, or (normalising) a row is zero.</exception>
    public override Tensor forward(Tensor video, Tensor text)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(text);
        ClipCaptionLoss.CheckPair(video, text);
        using var scope = NewDisposeScope();
        var logits = Logits(video, text, Temperature, Normalize);
        var labels = Scalars.Arange(logits.shape[0], logits.device);
        return cross_entropy(logits, labels).add(cross_entropy(logits.t(), labels), Scalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>[video, text] logits in the compute dtype, optionally of unit features, divided by the temperature.</summary>
    internal static Tensor Logits(Tensor video, Tensor text, double temperature, bool normalize)
    {
        var computeType = SimilarityMath.ComputeType(video.dtype);
        var v = video.to(computeType);
        var t = text.to(computeType);
        if (normalize)
        {
            var vn = v.norm(-1, keepdim: true);
            var tn = t.norm(-1, keepdim: true);
            SimilarityMath.NonZeroRows(vn, "video");
            SimilarityMath.NonZeroRows(tn, "text");
            v = v / vn;
            t = t / tn;
        }
        var logits = v.mm(t.t());
        if (temperature == 1) return logits;
        using var temperatureScalar = temperature.ToScalar();
        return logits.div(temperatureScalar);
    }
}
