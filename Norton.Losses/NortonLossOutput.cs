using static TorchSharp.torch;

namespace Norton.Losses;

/// <summary>What <see cref="NortonLoss.forward(Norton.Core.Features.VideoFeatures, Norton.Core.Features.TextFeatures, bool)"/> returns: the total and its parts. Owns its tensors.</summary>
public sealed class NortonLossOutput : IDisposable
{
    internal NortonLossOutput(Tensor loss, ClipCaptionResult clipCaption, VideoParagraphResult? videoParagraph, Tensor? weighted)
    {
        Loss = loss;
        ClipCaption = clipCaption;
        VideoParagraph = videoParagraph;
        WeightedVideoParagraphLoss = weighted;
    }

    /// <summary>The scalar to back-propagate: clip-caption + weight * video-paragraph (<c>loss</c>).</summary>
    public Tensor Loss { get; }

    /// <summary>The clip-caption part (and its diagnostics when asked for).</summary>
    public ClipCaptionResult ClipCaption { get; }

    /// <summary>The video-paragraph part, or null when <see cref="NortonLossOptions.SequenceContrastWeight"/> is null.</summary>
    public VideoParagraphResult? VideoParagraph { get; }

    /// <summary>weight * video-paragraph loss (<c>seq_loss_weighted</c>), or null without that branch.</summary>
    public Tensor? WeightedVideoParagraphLoss { get; }

    /// <summary>The tensors this output owns, its parts' included.</summary>
    internal IEnumerable<Tensor> Tensors() =>
        new[] { Loss, WeightedVideoParagraphLoss }.OfType<Tensor>()
            .Concat(ClipCaption.Tensors())
            .Concat(VideoParagraph?.Tensors() ?? []);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in Tensors()) t.Dispose();
    }
}
