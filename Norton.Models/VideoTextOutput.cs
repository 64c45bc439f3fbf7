using Norton.Losses;
using Norton.Models.VideoClip;

namespace Norton.Models;

/// <summary>Both towers' encodings of a batch of clips and captions (docs/original-model.md §1.4). The caller owns the tensors.</summary>
/// <param name="Video">Pooled (N, D), tokens (N, Tv+2, D), mask (N, Tv+2).</param>
/// <param name="Text">Pooled (N, D), tokens (N, Lc−1, D), mask (N, Lc−1).</param>
public sealed record VideoTextOutput(ModalityEncoding Video, ModalityEncoding Text) : IDisposable
{
    /// <summary>
    /// The encodings as <see cref="NortonLoss.Forward(VideoFeatures, TextFeatures, bool)"/> takes them: pooled
    /// features, per-token outputs and their masks (the original's <c>pooled_video</c>, <c>video_outputs</c>,
    /// <c>video_mask_outputs</c> and the text counterparts). The returned objects wrap these same tensors.
    /// </summary>
    public (VideoFeatures Video, TextFeatures Text) ToLossInputs() =>
        (new VideoFeatures(Video.Pooled, Video.Tokens, Video.TokenMask), new TextFeatures(Text.Pooled, Text.Tokens, Text.TokenMask));

    /// <inheritdoc />
    public void Dispose()
    {
        Video.Dispose();
        Text.Dispose();
    }
}
