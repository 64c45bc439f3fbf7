using static TorchSharp.torch;

namespace Norton.Losses;

/// <summary>
/// The video-paragraph loss and, on request, its diagnostics. Owns its tensors. Similarity matrices are
/// [text, video]; the paragraph logits are [paragraph, video] (docs/quirks.md Q8). Names in brackets are the golden keys.
/// </summary>
public sealed class VideoParagraphResult : IDisposable
{
    /// <summary>The loss <c>TextToVideo + VideoToText</c> (<c>seq_loss</c>).</summary>
    public required Tensor Loss { get; init; }

    /// <summary>Paragraph-to-video cross entropy, over the rows of the paragraph logits (<c>seq_loss_t2v</c>).</summary>
    public required Tensor TextToVideo { get; init; }

    /// <summary>Video-to-paragraph cross entropy, over the columns (<c>seq_loss_v2t</c>).</summary>
    public required Tensor VideoToText { get; init; }

    /// <summary>k of the k-th smallest diagonal entry (<c>prompt_k</c>); null without the prompt bucket.</summary>
    public long? PromptK { get; init; }

    /// <summary>Diagnostics: the prompt bucket value p, 0-dim, no gradient (<c>prompt_value</c>).</summary>
    public Tensor? PromptValue { get; init; }

    /// <summary>Diagnostics: <c>exp(clamp(logit_scale))</c>, 0-dim (<c>temperature</c>).</summary>
    public Tensor? Temperature { get; init; }

    /// <summary>Diagnostics: min-max normalised pooled cosine (N, N) (<c>coarse_similarity</c>).</summary>
    public Tensor? Coarse { get; init; }

    /// <summary>Diagnostics: fine-grained text-to-video similarity before min-max (N, N) (<c>fine_t2v</c>).</summary>
    public Tensor? FineTextToVideo { get; init; }

    /// <summary>Diagnostics: fine-grained video-to-text similarity before min-max (N, N) (<c>fine_v2t</c>).</summary>
    public Tensor? FineVideoToText { get; init; }

    /// <summary>Diagnostics: the fused similarity (N, N) (<c>fused_similarity</c>).</summary>
    public Tensor? Fused { get; init; }

    /// <summary>Diagnostics: the fused similarity cut into (G*G, L, L) blocks, index paragraph*G + video (<c>blocks</c>).</summary>
    public Tensor? Blocks { get; init; }

    /// <summary>
    /// Diagnostics: log((m+n) P) of the bucket OT including the bucket row and column, (G*G, L+1, L+1); without the
    /// bucket (extension) the (G*G, L, L) log-plan (<c>seq_log_plan_augmented</c>). No gradient.
    /// </summary>
    public Tensor? LogPlanAugmented { get; init; }

    /// <summary>Diagnostics: the cropped plan rescaled to mass L per block, (G*G, L, L), no gradient (<c>seq_plan</c>).</summary>
    public Tensor? Plan { get; init; }

    /// <summary>Diagnostics: (G, G) paragraph logits, [paragraph, video] (<c>paragraph_logits</c>).</summary>
    public Tensor? ParagraphLogits { get; init; }

    /// <summary>Diagnostics: how the block OT ended (per block).</summary>
    public SinkhornDiagnostics? Sinkhorn { get; init; }

    /// <summary>The tensors this result owns.</summary>
    internal IEnumerable<Tensor> Tensors() =>
        new[] { Loss, TextToVideo, VideoToText, PromptValue, Temperature, Coarse, FineTextToVideo, FineVideoToText, Fused,
                Blocks, LogPlanAugmented, Plan, ParagraphLogits }.OfType<Tensor>().Concat(Sinkhorn?.Tensors() ?? []);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in Tensors()) t.Dispose();
    }
}
