using Norton.Core.Features;
using Norton.Models.VideoClip;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Models;

/// <summary>
/// The video side of <see cref="VideoTextModel"/> as a module of its own (the original's
/// <c>MMFusionSeparate.forward_video</c>): the video encoder followed by Norton's pooling. Get it from
/// <see cref="VideoTextModel.VideoTower"/>.
/// </summary>
/// <remarks>
/// The tower shares its encoder with the model: its one submodule is the model's <c>video_encoder</c>, so its state-dict
/// keys are the model's <c>video_encoder.*</c> keys, and moving, freezing or loading either changes both. The model owns
/// the encoder: dispose the model, not the tower.
/// </remarks>
public sealed class VideoTower : nn.Module<Tensor, Tensor, Tensor, Tensor, VideoFeatures>
{
#pragma warning disable IDE1006 // field name = the model's attribute name, so the keys are the model's
    private readonly MMBertForEncoder video_encoder;
#pragma warning restore IDE1006

    internal VideoTower(MMBertForEncoder encoder) : base(nameof(VideoTower))
    {
        video_encoder = encoder;
        RegisterComponents();
    }

    /// <summary>The video encoder (<c>video_encoder</c>), shared with the model.</summary>
    public MMBertForEncoder Encoder => video_encoder;

    /// <summary>
    /// The video tower with Norton's pooling: tokens (N, Tv+2, D), mask <c>[false] ++ vmasks ++ [true]</c> (drops [CLS],
    /// keeps the valid frames and the trailing [SEP]), pooled = masked mean.
    /// </summary>
    /// <param name="vfeats">(N, Tv, InputDim) features, Tv ≤ MaxVideoLen.</param>
    /// <param name="vmasks">(N, Tv) bool.</param>
    /// <param name="caps">(N, Lc) int64; only <c>caps[:, :2]</c> is read.</param>
    /// <param name="cmasks">(N, Lc) bool; only <c>cmasks[:, :2]</c> is read.</param>
    /// <returns>Pooled (N, D), frames (N, Tv+2, D), mask (N, Tv+2) bool; the caller owns the tensors.</returns>
    /// <exception cref="ArgumentException">Wrong shapes or dtypes, feature width, too many slots, ids outside the vocabulary.</exception>
    public override VideoFeatures forward(Tensor vfeats, Tensor vmasks, Tensor caps, Tensor cmasks)
    {
        using var scope = NewDisposeScope();
        using var encoded = video_encoder.forward(vfeats, vmasks, caps, cmasks);
        var tokens = encoded.LastHiddenState.alias();
        long n = vfeats.shape[0];
        var mask = cat([zeros(n, 1, ScalarType.Bool, vfeats.device), vmasks.to(ScalarType.Bool), ones(n, 1, ScalarType.Bool, vfeats.device)], 1);
        var pooled = MaskedMeanPooling.Pool(tokens, mask);
        return new VideoFeatures(pooled.MoveToOuterDisposeScope(), tokens.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }
}
