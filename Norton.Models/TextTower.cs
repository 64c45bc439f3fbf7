using Norton.Core.Features;
using Norton.Core.Validation;
using Norton.Models.Bert;
using Norton.Models.VideoClip;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Models;

/// <summary>
/// The text side of <see cref="VideoTextModel"/> as a module of its own (the original's
/// <c>MMFusionSeparate.forward_text</c>): the BERT text encoder over the Aligner's caption layout followed by Norton's
/// pooling. Get it from <see cref="VideoTextModel.TextTower"/>.
/// </summary>
/// <remarks>
/// The tower shares its encoder with the model: its one submodule is the model's <c>text_encoder</c>, so its state-dict
/// keys are the model's <c>text_encoder.*</c> keys, and moving, freezing or loading either changes both. The model owns
/// the encoder: dispose the model, not the tower.
/// </remarks>
public sealed class TextTower : nn.Module<Tensor, Tensor, TextFeatures>
{
#pragma warning disable IDE1006 // field name = the model's attribute name, so the keys are the model's
    private readonly BertModel text_encoder;
#pragma warning restore IDE1006

    internal TextTower(BertModel encoder) : base(nameof(TextTower))
    {
        text_encoder = encoder;
        RegisterComponents();
    }

    /// <summary>The text encoder (<c>text_encoder</c>), shared with the model.</summary>
    public BertModel Encoder => text_encoder;

    /// <summary>
    /// The text tower with Norton's pooling: BERT over <c>[CLS] w… [SEP] [PAD]…</c> (<c>caps</c> without the video
    /// [SEP] at index 1), tokens (N, Lc−1, D), mask <c>[false] ++ cmasks[:, 2:]</c> (drops [CLS], keeps the words and
    /// the final [SEP]), pooled = masked mean.
    /// </summary>
    /// <param name="caps">(N, Lc ≥ 3) int64 ids in [0, vocab); Lc−1 ≤ the text position table.</param>
    /// <param name="cmasks">(N, Lc) bool; every row needs a true entry after index 1.</param>
    /// <returns>Pooled (N, D), words (N, Lc−1, D), mask (N, Lc−1) bool; the caller owns the tensors.</returns>
    /// <exception cref="ArgumentException">Wrong shapes or dtypes, too long, ids outside the vocabulary, a row with
    /// nothing to pool.</exception>
    public override TextFeatures forward(Tensor caps, Tensor cmasks)
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

    private void CheckText(Tensor caps, Tensor cmasks)
    {
        var config = text_encoder.Config;
        InputChecks.TokenIds(caps, config.VocabSize, nameof(caps));
        long lc = caps.shape[1];
        if (lc < 3)
            throw Guard.Argument(nameof(caps), "hold [CLS], the video [SEP] and at least one more slot (Lc ≥ 3)", $"has shape {Guard.Shape(caps)}");
        if (lc - 1 > config.MaxPositionEmbeddings)
            throw Guard.Argument(nameof(caps), $"give the text tower at most {config.MaxPositionEmbeddings} positions (Lc−1, its position table has {config.MaxPositionEmbeddings} rows)",
                $"gives Lc−1 = {lc - 1} (shape {Guard.Shape(caps)})");
        InputChecks.Mask(cmasks, caps.shape, nameof(cmasks));
        using var scope = NewDisposeScope();
        var empty = cmasks.narrow(1, 2, lc - 2).to(ScalarType.Bool).any(1).logical_not();
        if (empty.any().item<bool>())
        {
            long row = empty.to(ScalarType.Int64).argmax().item<long>();
            throw Guard.Argument(nameof(cmasks),
                "have a true entry after index 1 in every row (every caption needs at least its final [SEP]; the text pooling would divide by zero, the original returns NaN)",
                $"row {row} has none");
        }
    }
}
