using Norton.Core.Features;
using Norton.Core.Validation;
using Norton.Models.Bert;
using Norton.Models.VideoClip;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Models;

/// <summary>
/// The VideoCLIP/Norton two-tower model (original <c>MMFusionSeparate</c>): a video tower over S3D features and a
/// BERT text tower over captions, never interacting, with masked-mean pooling and no projection head. Its state-dict
/// keys are the checkpoint keys of docs/original-model.md §6.1 without the <c>mmmodel.</c> prefix (<c>video_encoder.*</c>,
/// <c>text_encoder.*</c>).
/// </summary>
/// <remarks>Inputs use the original Aligner layout (docs/original-model.md §1.1): <c>caps</c> (N, Lc) int64
/// <c>[CLS] [SEP] w₁…wₙ [SEP] [PAD]…</c>, <c>cmasks</c> (N, Lc) bool, <c>vfeats</c> (N, Tv, 512), <c>vmasks</c> (N, Tv) bool.</remarks>
public sealed class VideoTextModel : nn.Module<Tensor, Tensor, Tensor, Tensor, VideoTextOutput>
{
#pragma warning disable IDE1006 // field names are the PyTorch attribute names, so state dicts load by name
    private readonly MMBertForEncoder video_encoder;
    private readonly BertModel text_encoder;
#pragma warning restore IDE1006
    // The towers share the encoders above; assigned after RegisterComponents, so that they add no keys of their own.
    private readonly VideoTower _videoTower;
    private readonly TextTower _textTower;

    /// <summary>Builds both towers with random weights (load a checkpoint with
    /// <see cref="Checkpoints.CheckpointLoader"/> before use).</summary>
    /// <param name="config">Sizes; <see cref="VideoClipConfig.Full"/> for the original model.</param>
    /// <param name="device">Where the weights live; <c>torch.META</c> builds the structure without storage.</param>
    /// <param name="dtype">The parameters' dtype (null: TorchSharp's default, float32), as in TorchSharp's own modules.</param>
    public VideoTextModel(VideoClipConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(VideoTextModel))
    {
        Config = Guard.NotNull(config, nameof(config));
        video_encoder = new MMBertForEncoder(config, device, dtype);
        text_encoder = new BertModel(config.Text, device, dtype);
        RegisterComponents();
        _videoTower = new VideoTower(video_encoder);
        _textTower = new TextTower(text_encoder);
    }

    /// <summary>The sizes this model was built with.</summary>
    public VideoClipConfig Config { get; }

    /// <summary>The video encoder (<c>video_encoder</c>): raw BERT outputs, without Norton's pooling.</summary>
    public MMBertForEncoder VideoEncoder => video_encoder;

    /// <summary>The text encoder (<c>text_encoder</c>): raw BERT outputs, without Norton's pooling.</summary>
    public BertModel TextEncoder => text_encoder;

    /// <summary>The video side alone (the original's <c>forward_video</c>): <c>model.VideoTower.forward(vfeats, vmasks,
    /// caps, cmasks)</c> gives the <see cref="VideoFeatures"/>. Shares <see cref="VideoEncoder"/>; owned by the model.</summary>
    public VideoTower VideoTower => _videoTower;

    /// <summary>The text side alone (the original's <c>forward_text</c>): <c>model.TextTower.forward(caps, cmasks)</c>
    /// gives the <see cref="TextFeatures"/>. Shares <see cref="TextEncoder"/>; owned by the model.</summary>
    public TextTower TextTower => _textTower;

    /// <summary>Encodes both modalities (original <c>MMFusionSeparate.forward</c>).</summary>
    /// <param name="caps">(N, Lc ≥ 3) int64 caption ids in the <c>[CLS] [SEP] w… [SEP] [PAD]…</c> layout.</param>
    /// <param name="cmasks">(N, Lc) bool.</param>
    /// <param name="vfeats">(N, Tv, InputDim) features, Tv ≤ MaxVideoLen.</param>
    /// <param name="vmasks">(N, Tv) bool.</param>
    /// <returns>Both sides; the output owns (disposes) the tensors.</returns>
    /// <exception cref="ArgumentException">See <see cref="VideoTower.forward"/> and <see cref="TextTower.forward"/>.</exception>
    public override VideoTextOutput forward(Tensor caps, Tensor cmasks, Tensor vfeats, Tensor vmasks)
    {
        var video = _videoTower.forward(vfeats, vmasks, caps, cmasks);
        try
        {
            return new VideoTextOutput(video, _textTower.forward(caps, cmasks));
        }
        catch
        {
            video.Pooled.Dispose();
            video.Frames?.Dispose();
            video.Mask?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Norton's <c>layernorm_only</c> mode (docs/original-model.md §1.5): freezes every parameter except the LayerNorm γ/β.
    /// </summary>
    /// <returns>Trainable scalar parameters left (59,904 at full size).</returns>
    public long UseLayerNormOnly() => LayerNormOnly.Apply(this);

    /// <summary>
    /// Turns activation recomputation on or off in every transformer layer of both towers (see
    /// <see cref="BertEncoder.RecomputeActivations"/>): gradients stay the same, activation memory drops to one
    /// tensor per layer.
    /// </summary>
    public void UseActivationRecomputation(bool enabled)
    {
        video_encoder.Bert.Encoder.RecomputeActivations = enabled;
        text_encoder.Encoder.RecomputeActivations = enabled;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            // The towers' only submodules are the encoders disposed above; this frees the towers' own handles.
            _videoTower.Dispose();
            _textTower.Dispose();
        }
    }
}
