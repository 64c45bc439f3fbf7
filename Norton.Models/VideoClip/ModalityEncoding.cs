using static TorchSharp.torch;

namespace Norton.Models.VideoClip;

/// <summary>
/// One tower's output as the Norton loss consumes it (docs/original-model.md §1.4): the pooled vector, the per-token outputs and the
/// token mask that says which tokens the pooling (and the token-level loss) uses. The caller owns the tensors.
/// </summary>
/// <param name="Pooled">(N, D) masked mean (<c>pooled_video</c> / <c>pooled_text</c>).</param>
/// <param name="Tokens">(N, L, D) last-layer outputs (<c>video_outputs</c> / <c>text_outputs</c>).</param>
/// <param name="TokenMask">(N, L) bool (<c>video_mask_outputs</c> / <c>text_mask_outputs</c>): false on [CLS] and padding.</param>
public sealed record ModalityEncoding(Tensor Pooled, Tensor Tokens, Tensor TokenMask) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Pooled.Dispose();
        Tokens.Dispose();
        TokenMask.Dispose();
    }
}
