using static TorchSharp.torch;

namespace Norton.Losses;

/// <summary>The clip-caption loss and, on request, its diagnostics. Owns its tensors.</summary>
public sealed class ClipCaptionResult : IDisposable
{
    internal ClipCaptionResult(Tensor loss, Tensor videoToText, Tensor textToVideo, Tensor? logits, Tensor? plan, SinkhornDiagnostics? sinkhorn)
    {
        Loss = loss;
        VideoToText = videoToText;
        TextToVideo = textToVideo;
        Logits = logits;
        Plan = plan;
        Sinkhorn = sinkhorn;
    }

    /// <summary><see cref="VideoToText"/> + <see cref="TextToVideo"/> (golden key <c>clip_loss</c>).</summary>
    public Tensor Loss { get; }

    /// <summary>Video-to-text cross entropy over the rows of the logits (<c>clip_loss_v2t</c>).</summary>
    public Tensor VideoToText { get; }

    /// <summary>Text-to-video cross entropy over the columns (<c>clip_loss_t2v</c>).</summary>
    public Tensor TextToVideo { get; }

    /// <summary>Diagnostics: (N, N) logits <c>pooled_video @ pooled_text^T</c>, [video, text] (<c>clip_logits</c>).</summary>
    public Tensor? Logits { get; }

    /// <summary>Diagnostics: the (2N)-scaled OT plan Q, [video, text], no gradient (<c>clip_plan</c>); null when the OT is off.</summary>
    public Tensor? Plan { get; }

    /// <summary>Diagnostics: how the clip OT ended; null when the OT is off or diagnostics were not asked for.</summary>
    public SinkhornDiagnostics? Sinkhorn { get; }

    /// <summary>The tensors this result owns.</summary>
    internal IEnumerable<Tensor> Tensors() =>
        new[] { Loss, VideoToText, TextToVideo, Logits, Plan }.OfType<Tensor>().Concat(Sinkhorn?.Tensors() ?? []);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in Tensors()) t.Dispose();
    }
}
