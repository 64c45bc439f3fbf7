using Norton.Core.Features;
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

    /// <summary>Builds both towers with random weights (load a checkpoint with
    /// <see cref="Checkpoints.CheckpointLoader"/> before use).</summary>
    /// <param name="config">Sizes; <see cref="VideoClipConfig.Full"/> for the original model.</param>
    /// <param name="device">Where the weights live; <c>torch.META</c> builds the structure without storage.</param>
    public VideoTextModel(VideoClipConfig config, Device? device = null) : base(nameof(VideoTextModel))
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        video_encoder = new MMBertForEncoder(config, device);
        text_encoder = new BertModel(config.Text, device);
        RegisterComponents();
    }

    /// <summary>The sizes this model was built with.</summary>
    public VideoClipConfig Config { get; }

    /// <summary>The video tower (<c>video_encoder</c>).</summary>
    public MMBertForEncoder VideoEncoder => video_encoder;

    /// <summary>The text tower (<c>text_encoder</c>).</summary>
    public BertModel TextEncoder => text_encoder;

    /// <summary>Encodes both modalities (original <c>MMFusionSeparate.forward</c>).</summary>
    /// <exception cref="ArgumentException">See <see cref="ForwardVideo"/> and <see cref="ForwardText"/>.</exception>
    public override VideoTextOutput forward(Tensor caps, Tensor cmasks, Tensor vfeats, Tensor vmasks)
    {
        var video = ForwardVideo(vfeats, vmasks, caps, cmasks);
        try
        {
            return new VideoTextOutput(video, ForwardText(caps, cmasks));
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
    /// The video tower with Norton's pooling: tokens (N, Tv+2, D), mask <c>[false] ++ vmasks ++ [true]</c> (drops [CLS],
    /// keeps the valid frames and the trailing [SEP]), pooled = masked mean.
    /// </summary>
    /// <param name="vfeats">(N, Tv, InputDim) features, Tv ≤ MaxVideoLen.</param>
    /// <param name="vmasks">(N, Tv) bool.</param>
    /// <param name="caps">(N, Lc) int64; only <c>caps[:, :2]</c> is read.</param>
    /// <param name="cmasks">(N, Lc) bool; only <c>cmasks[:, :2]</c> is read.</param>
    /// <exception cref="ArgumentException">Wrong shapes or dtypes, feature width, too many slots, ids outside the vocabulary.</exception>
    public VideoFeatures ForwardVideo(Tensor vfeats, Tensor vmasks, Tensor caps, Tensor cmasks)
    {
        using var scope = NewDisposeScope();
        using var encoded = video_encoder.forward(vfeats, vmasks, caps, cmasks);
        var tokens = encoded.LastHiddenState.alias();
        long n = vfeats.shape[0];
        var mask = cat([zeros(n, 1, ScalarType.Bool, vfeats.device), vmasks.to(ScalarType.Bool), ones(n, 1, ScalarType.Bool, vfeats.device)], 1);
        var pooled = MaskedMeanPooling.Pool(tokens, mask);
        return new VideoFeatures(pooled.MoveToOuterDisposeScope(), tokens.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The text tower with Norton's pooling: BERT over <c>[CLS] w… [SEP] [PAD]…</c> (<c>caps</c> without the video
    /// [SEP] at index 1), tokens (N, Lc−1, D), mask <c>[false] ++ cmasks[:, 2:]</c> (drops [CLS], keeps the words and
    /// the final [SEP]), pooled = masked mean.
    /// </summary>
    /// <param name="caps">(N, Lc ≥ 3) int64 ids in [0, vocab); Lc−1 ≤ the text position table.</param>
    /// <param name="cmasks">(N, Lc) bool; every row needs a true entry after index 1.</param>
    /// <exception cref="ArgumentException">Wrong shapes or dtypes, too long, ids outside the vocabulary, a row with
    /// nothing to pool.</exception>
    public TextFeatures ForwardText(Tensor caps, Tensor cmasks)
    {
        CheckText(caps, cmasks);
        using var scope = NewDisposeScope();
        long lc = caps.shape[1];
        var ids = cat([caps.narrow(1, 0, 1), caps.narrow(1, 2, lc - 2)], 1);
        var c = cmasks.to(ScalarType.Bool);
        var attention = cat([c.narrow(1, 0, 1), c.narrow(1, 2, lc - 2)], 1);
        using var encoded = text_encoder.forward(ids, attention);
        var tokens = encoded.LastHiddenState.alias();
        var mask = cat([zeros(caps.shape[0], 1, ScalarType.Bool, caps.device), c.narrow(1, 2, lc - 2)], 1);
        var pooled = MaskedMeanPooling.Pool(tokens, mask);
        return new TextFeatures(pooled.MoveToOuterDisposeScope(), tokens.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
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

    private void CheckText(Tensor caps, Tensor cmasks)
    {
        InputChecks.TokenIds(caps, Config.Text.VocabSize, nameof(caps));
        long lc = caps.shape[1];
        if (lc < 3)
            throw new ArgumentException($"caps must hold [CLS], the video [SEP] and at least one more slot (Lc ≥ 3); got shape {InputChecks.Shape(caps)}.", nameof(caps));
        if (lc - 1 > Config.Text.MaxPositionEmbeddings)
            throw new ArgumentException(
                $"caps gives the text tower Lc−1 = {lc - 1} positions but its position table has {Config.Text.MaxPositionEmbeddings} rows; got shape {InputChecks.Shape(caps)}.",
                nameof(caps));
        InputChecks.Mask(cmasks, caps.shape, nameof(cmasks));
        using var scope = NewDisposeScope();
        var empty = cmasks.narrow(1, 2, lc - 2).to(ScalarType.Bool).any(1).logical_not();
        if (empty.any().item<bool>())
        {
            long row = empty.to(ScalarType.Int64).argmax().item<long>();
            throw new ArgumentException(
                $"cmasks row {row} has no true entry after index 1, so the text pooling would divide by zero (the original returns NaN); every caption needs at least its final [SEP].",
                nameof(cmasks));
        }
    }
}
