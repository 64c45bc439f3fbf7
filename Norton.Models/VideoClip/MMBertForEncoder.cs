using Norton.Core.Validation;
using Norton.Models.Bert;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Models.VideoClip;

/// <summary>
/// The VideoCLIP/Norton video tower (original <c>MMBertForEncoder</c>, keys <c>videomlp.*</c> and <c>bert.*</c>):
/// S3D features → <see cref="VideoTokenMLP"/> → <c>[CLS] video [SEP]</c> through a BERT with a key-only mask.
/// </summary>
public sealed class MMBertForEncoder : nn.Module<Tensor, Tensor, Tensor, Tensor, BertModelOutput>
{
#pragma warning disable IDE1006 // field names are the PyTorch attribute names, so state dicts load by name
    private readonly VideoTokenMLP videomlp;
    private readonly MMBertModel bert;
#pragma warning restore IDE1006

    /// <summary>Builds the video tower for <paramref name="config"/> (<see cref="VideoClipConfig.Video"/> sizes).</summary>
    public MMBertForEncoder(VideoClipConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(MMBertForEncoder))
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        videomlp = new VideoTokenMLP(config.InputDim, config.Video.HiddenSize, config.VideoMlpLayerNormEps, device, dtype);
        bert = new MMBertModel(config.Video, config.MaxVideoLen, device, dtype);
        RegisterComponents();
    }

    /// <summary>The sizes this tower was built with.</summary>
    public VideoClipConfig Config { get; }

    internal VideoTokenMLP VideoMlp => videomlp;

    /// <summary>The video BERT (<c>bert</c>).</summary>
    public MMBertModel Bert => bert;

    /// <summary>
    /// Encodes video clips. Only <c>caps[:, :2]</c> and <c>cmasks[:, :2]</c> are read: the [CLS]/[SEP] ids and whether
    /// those two keys may be attended to (the dummy caps of COIN/YouCook-BG mask [CLS]).
    /// </summary>
    /// <param name="vfeats">(B, Tv, InputDim) float features, Tv ≤ <see cref="VideoClipConfig.MaxVideoLen"/>.</param>
    /// <param name="vmasks">(B, Tv) bool, true on valid seconds.</param>
    /// <param name="caps">(B, Lc ≥ 2) int64 caption ids in the <c>[CLS] [SEP] w… [SEP] [PAD]…</c> layout.</param>
    /// <param name="cmasks">(B, Lc) bool.</param>
    /// <returns>Last layer (B, Tv+2, D), pooler output (unused by Norton).</returns>
    /// <exception cref="ArgumentException">Wrong shapes or dtypes, feature width ≠ InputDim, Tv &gt; MaxVideoLen, ids
    /// outside the vocabulary.</exception>
    public override BertModelOutput forward(Tensor vfeats, Tensor vmasks, Tensor caps, Tensor cmasks) =>
        forward(vfeats, vmasks, caps, cmasks, diagnostics: false);

    /// <summary>As <see cref="forward(Tensor, Tensor, Tensor, Tensor)"/>; with <paramref name="diagnostics"/> also the
    /// embedding output and every layer's output in <see cref="BertModelOutput.HiddenStates"/>.</summary>
    /// <param name="vfeats">(B, Tv, InputDim) float features, Tv ≤ <see cref="VideoClipConfig.MaxVideoLen"/>.</param>
    /// <param name="vmasks">(B, Tv) bool, true on valid seconds.</param>
    /// <param name="caps">(B, Lc ≥ 2) int64 caption ids in the <c>[CLS] [SEP] w… [SEP] [PAD]…</c> layout.</param>
    /// <param name="cmasks">(B, Lc) bool.</param>
    /// <param name="diagnostics">Keep the intermediate hidden states.</param>
    /// <exception cref="ArgumentException">As <see cref="forward(Tensor, Tensor, Tensor, Tensor)"/>.</exception>
    public BertModelOutput forward(Tensor vfeats, Tensor vmasks, Tensor caps, Tensor cmasks, bool diagnostics)
    {
        Check(vfeats, vmasks, caps, cmasks);
        using var scope = NewDisposeScope();
        var clsSep = caps.narrow(1, 0, 2);
        var mask = BuildAttentionMask(vmasks, cmasks);
        var tokens = videomlp.forward(vfeats);
        var result = bert.forward(clsSep, tokens, mask, diagnostics);
        result.LastHiddenState.MoveToOuterDisposeScope();
        result.PoolerOutput.MoveToOuterDisposeScope();
        foreach (var h in result.HiddenStates) h.MoveToOuterDisposeScope();
        return result;
    }

    /// <summary><c>cat(cmasks[:, :1], vmasks, cmasks[:, 1:2])</c> as bool (B, Tv+2): the keys [CLS], frames, [SEP].</summary>
    public static Tensor BuildAttentionMask(Tensor vmasks, Tensor cmasks)
    {
        using var scope = NewDisposeScope();
        var c = cmasks.to(ScalarType.Bool);
        return cat([c.narrow(1, 0, 1), vmasks.to(ScalarType.Bool), c.narrow(1, 1, 1)], 1).MoveToOuterDisposeScope();
    }

    private void Check(Tensor vfeats, Tensor vmasks, Tensor caps, Tensor cmasks)
    {
        InputChecks.Features(vfeats, Config.InputDim, nameof(vfeats));
        long tv = vfeats.shape[1];
        if (tv > Config.MaxVideoLen)
            throw Guard.Argument(nameof(vfeats), $"have at most maxVideoLen = {Config.MaxVideoLen} slots (the [SEP] position maxVideoLen+1 would collide with a frame)",
                $"has {tv} video slots (shape {Guard.Shape(vfeats)})");
        InputChecks.Mask(vmasks, [vfeats.shape[0], tv], nameof(vmasks));
        InputChecks.TokenIds(caps, Config.Video.VocabSize, nameof(caps));
        InputChecks.SameBatch(vfeats, nameof(vfeats), caps, nameof(caps));
        if (caps.shape[1] < 2)
            throw Guard.Argument(nameof(caps), "hold at least [CLS] and [SEP] (Lc ≥ 2)", $"has shape {Guard.Shape(caps)}");
        InputChecks.Mask(cmasks, caps.shape, nameof(cmasks));
    }
}
