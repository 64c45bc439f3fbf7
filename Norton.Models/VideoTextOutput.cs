using Norton.Core.Features;

namespace Norton.Models;

/// <summary>
/// Both towers' encodings of a batch of clips and captions (docs/original-model.md §1.4), in the shape the Norton
/// loss consumes (<see cref="VideoFeatures"/> and <see cref="TextFeatures"/> of Norton.Core). This record owns the
/// tensors: <see cref="Dispose"/> frees them.
/// </summary>
/// <param name="Video">Pooled (N, D), frames (N, Tv+2, D), mask (N, Tv+2) bool.</param>
/// <param name="Text">Pooled (N, D), words (N, Lc−1, D), mask (N, Lc−1) bool.</param>
public sealed record VideoTextOutput(VideoFeatures Video, TextFeatures Text) : IDisposable
{
    /// <summary>
    /// The encodings as <c>NortonLoss.forward(VideoFeatures, TextFeatures)</c> (Norton.Losses) takes them:
    /// pooled features, per-token outputs and their masks (the original's <c>pooled_video</c>, <c>video_outputs</c>,
    /// <c>video_mask_outputs</c> and the text counterparts). The same objects as <see cref="Video"/> and <see cref="Text"/>.
    /// </summary>
    public (VideoFeatures Video, TextFeatures Text) ToLossInputs() => (Video, Text);

    /// <inheritdoc />
    public void Dispose()
    {
        Video.Pooled.Dispose();
        Video.Frames?.Dispose();
        Video.Mask?.Dispose();
        Text.Pooled.Dispose();
        Text.Words?.Dispose();
        Text.Mask?.Dispose();
    }
}
