using Norton.Core.Features;
using Norton.Core;
using Norton.Core.Validation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Losses;

/// <summary>
/// The Norton loss (ICLR 2024): <c>clip-caption + SequenceContrastWeight * video-paragraph</c>, a TorchSharp module.
/// </summary>
/// <remarks>
/// <para>Usage: <c>using var output = loss.forward(video, text); output.Loss.backward();</c>;
/// <c>loss.forward(video, text, diagnostics: true)</c> also fills the diagnostics (docs/api-guide.md, "Modules"). The options are validated
/// on construction; the inputs on every call: shapes, dtypes, devices, N a multiple of Length and k in range without
/// reading any value, then the values (finite features, 0/1 masks, a valid slot per row, no zero direction) all in one
/// device-to-host transfer, skipped with <see cref="NortonLossOptions.CheckValues"/> = false (docs/performance.md). float16/bfloat16 features are computed in float32 (OT and normalisations
/// included) and the outputs are float32; the gradients reach the half-precision inputs.</para>
/// <para>Parameters: only <c>video_paragraph.logit_scale</c>, frozen unless
/// <see cref="NortonLossOptions.TrainLogitScale"/> (the original never trained it, docs/quirks.md Q9).</para>
/// </remarks>
public sealed class NortonLoss : nn.Module<VideoFeatures, TextFeatures, NortonLossOutput>
{
#pragma warning disable IDE1006 // submodule fields are named like state-dict keys
    private readonly ClipCaptionLoss clip_caption;
    private readonly VideoParagraphLoss? video_paragraph;
#pragma warning restore IDE1006

    /// <summary>Creates the loss.</summary>
    /// <param name="options">Hyper-parameters; null = the paper's (<see cref="NortonLossOptions.Paper"/>).</param>
    /// <exception cref="ArgumentException">The options are inconsistent (see <see cref="NortonLossOptions.Validate"/>).</exception>
    public NortonLoss(NortonLossOptions? options = null) : base(nameof(NortonLoss))
    {
        Options = options ?? NortonLossOptions.Paper;
        Options.Validate();
        clip_caption = new ClipCaptionLoss(Options);
        video_paragraph = Options.SequenceContrastWeight is null ? null : new VideoParagraphLoss(Options);
        RegisterComponents();
    }

    /// <summary>The video-paragraph branch, or null.</summary>
    internal VideoParagraphLoss? VideoParagraph => video_paragraph;

    /// <summary>The hyper-parameters.</summary>
    public NortonLossOptions Options { get; }

    /// <summary>The video-paragraph temperature parameter, or null without that branch.</summary>
    public Parameter? LogitScale => video_paragraph?.LogitScale;

    /// <summary>Computes the loss and its parts, without diagnostics: <c>forward(video, text, diagnostics: false)</c>.</summary>
    /// <param name="video">N clips: pooled features, and frames + mask when the video-paragraph branch is on.</param>
    /// <param name="text">N captions: pooled features, and words + mask when the video-paragraph branch is on.</param>
    /// <returns>The loss and its parts; the caller owns (disposes) it.</returns>
    /// <exception cref="ArgumentException">Bad input; the message names the argument and what came.</exception>
    public override NortonLossOutput forward(VideoFeatures video, TextFeatures text) => forward(video, text, diagnostics: false);

    /// <summary>Computes the loss and its parts.</summary>
    /// <param name="video">N clips: pooled features, and frames + mask when the video-paragraph branch is on.</param>
    /// <param name="text">N captions: pooled features, and words + mask when the video-paragraph branch is on.</param>
    /// <param name="diagnostics">Also return the prompt value, plans, similarities, paragraph logits and how each
    /// Sinkhorn solve ended.</param>
    /// <returns>The loss and its parts; the caller owns (disposes) it.</returns>
    /// <exception cref="ArgumentException">Bad input; the message names the argument and what came.</exception>
    public NortonLossOutput forward(VideoFeatures video, TextFeatures text, bool diagnostics)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(text);
        if (video.Count != text.Count || video.Dim != text.Dim)
            throw Guard.Argument("video and text", "have the same N and D",
                $"video is (N={video.Count}, D={video.Dim}) and text (N={text.Count}, D={text.Dim})", nameof(text));
        using var scope = NewDisposeScope();
        // Validate the sequence branch's inputs first: a bad mask should not cost a Sinkhorn solve. That branch reads
        // every value check of the call (the pooled pair's included) in one transfer; without it the clip branch does.
        VideoParagraphResult? seq = video_paragraph?.Compute(video, text, diagnostics, new LossValueChecks(Options.CheckValues));
        var clip = clip_caption.Compute(video.Pooled, text.Pooled, diagnostics, checkValues: seq is null && Options.CheckValues);
        Tensor loss;
        Tensor? weighted = null;
        if (seq is null)
        {
            loss = clip.Loss.alias();
        }
        else
        {
            using var weight = Options.SequenceContrastWeight!.Value.ToScalar();
            weighted = seq.Loss.mul(weight);
            loss = clip.Loss.add(weighted, Scalars.One);
        }
        var output = new NortonLossOutput(loss, clip, seq, weighted);
        scope.MoveToOuter(output.Tensors());
        return output;
    }
}
