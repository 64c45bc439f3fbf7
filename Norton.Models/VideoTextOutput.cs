using Norton.Models.VideoClip;

namespace Norton.Models;

/// <summary>Both towers' encodings of a batch of clips and captions (spec §1.4). The caller owns the tensors.</summary>
/// <param name="Video">Pooled (N, D), tokens (N, Tv+2, D), mask (N, Tv+2).</param>
/// <param name="Text">Pooled (N, D), tokens (N, Lc−1, D), mask (N, Lc−1).</param>
public sealed record VideoTextOutput(ModalityEncoding Video, ModalityEncoding Text) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Video.Dispose();
        Text.Dispose();
    }
}
