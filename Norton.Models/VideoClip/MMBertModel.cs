using Norton.Core;
using Norton.Core.Validation;
using Norton.Models.Bert;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Models.VideoClip;

/// <summary>
/// The video tower's BERT (original <c>MMBertModel</c> with <c>MMBertEmbeddings</c>): the sequence
/// <c>[CLS] v₁…v_Tv [SEP]</c>, where the video tokens replace word embeddings and the [CLS]/[SEP] rows come from the
/// word table. Keys <c>embeddings.*</c>, <c>encoder.layer.N.*</c>, <c>pooler.*</c> as in HF BERT.
/// </summary>
public sealed class MMBertModel : nn.Module<Tensor, Tensor, Tensor, BertModelOutput>
{
#pragma warning disable IDE1006 // field names are the PyTorch attribute names, so state dicts load by name
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;
    private readonly BertPooler pooler;
#pragma warning restore IDE1006

    /// <summary>Builds the video BERT.</summary>
    /// <param name="config">BERT sizes.</param>
    /// <param name="maxVideoLen">Fixes the [SEP] position (<c>maxVideoLen+1</c>) whatever the actual number of slots.</param>
    /// <param name="device">Where the weights live.</param>
    /// <param name="dtype">The parameters' dtype (null: TorchSharp's default, float32), as in TorchSharp's own modules.</param>
    public MMBertModel(BertConfig config, int maxVideoLen, Device? device = null, ScalarType? dtype = null) : base(nameof(MMBertModel))
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        if (maxVideoLen <= 0 || maxVideoLen + 2 > config.MaxPositionEmbeddings)
            throw Guard.OutOfRange(nameof(maxVideoLen), maxVideoLen,
                $"lie in [1, {config.MaxPositionEmbeddings - 2}] (maxVideoLen+1 is a row of the {config.MaxPositionEmbeddings}-row position table)");
        MaxVideoLen = maxVideoLen;
        embeddings = new BertEmbeddings(config, device, dtype);
        encoder = new BertEncoder(config, device, dtype);
        pooler = new BertPooler(config, device, dtype);
        RegisterComponents();
    }

    /// <summary>BERT sizes.</summary>
    public BertConfig Config { get; }

    /// <summary>The configured number of video slots; the [SEP] sits at position <c>MaxVideoLen+1</c>.</summary>
    public int MaxVideoLen { get; }

    /// <summary>The transformer layers (<c>encoder</c>).</summary>
    public BertEncoder Encoder => encoder;

    /// <summary>Encodes <c>[CLS] video [SEP]</c>.</summary>
    /// <param name="clsSepIds">(B, 2) int64: the [CLS] and [SEP] ids (<c>caps[:, :2]</c>).</param>
    /// <param name="videoTokens">(B, Tv, D) video MLP output, Tv ≤ <see cref="MaxVideoLen"/>.</param>
    /// <param name="attentionMask">(B, Tv+2) key mask.</param>
    public override BertModelOutput forward(Tensor clsSepIds, Tensor videoTokens, Tensor attentionMask) =>
        forward(clsSepIds, videoTokens, attentionMask, diagnostics: false);

    /// <summary>As <see cref="forward(Tensor, Tensor, Tensor)"/>; with <paramref name="diagnostics"/> also returns the
    /// embedding output and every layer's output in <see cref="BertModelOutput.HiddenStates"/>.</summary>
    /// <param name="clsSepIds">(B, 2) int64: the [CLS] and [SEP] ids (<c>caps[:, :2]</c>).</param>
    /// <param name="videoTokens">(B, Tv, D) video MLP output, Tv ≤ <see cref="MaxVideoLen"/>.</param>
    /// <param name="attentionMask">(B, Tv+2) key mask.</param>
    /// <param name="diagnostics">Keep the intermediate hidden states.</param>
    /// <remarks>Arguments are checked by <see cref="MMBertForEncoder"/>; this module assumes consistent shapes.</remarks>
    public BertModelOutput forward(Tensor clsSepIds, Tensor videoTokens, Tensor attentionMask, bool diagnostics)
    {
        using var scope = NewDisposeScope();
        var words = embeddings.WordEmbeddings.forward(clsSepIds);                      // (B, 2, D)
        var sequence = cat([words.narrow(1, 0, 1), videoTokens, words.narrow(1, 1, 1)], 1); // (B, Tv+2, D)
        var positions = PositionIds(videoTokens.shape[1], MaxVideoLen, videoTokens.device);
        var embedded = embeddings.Embed(sequence, positions);
        var bias = AttentionMask.Extend(attentionMask, sequence.dtype);

        var hidden = new List<Tensor>();
        if (diagnostics) hidden.Add(embedded.alias());
        var last = encoder.Run(embedded, bias, diagnostics ? hidden : null);
        var pooled = pooler.forward(last);
        last.MoveToOuterDisposeScope();
        pooled.MoveToOuterDisposeScope();
        foreach (var h in hidden) h.MoveToOuterDisposeScope();
        return new BertModelOutput(last, pooled, hidden);
    }

    /// <summary>
    /// <c>[0, 1, …, Tv] ++ [maxVideoLen+1]</c> as (1, Tv+2) int64: [CLS] and the video slots count from 0, and the
    /// [SEP] keeps position <c>maxVideoLen+1</c> even when fewer slots are passed (the original rule).
    /// </summary>
    public static Tensor PositionIds(long videoSlots, int maxVideoLen, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var head = Scalars.Arange(videoSlots + 1, device);
        var sep = tensor(new long[] { maxVideoLen + 1 }, int64, device);
        return cat([head, sep], 0).unsqueeze(0).MoveToOuterDisposeScope();
    }
}
