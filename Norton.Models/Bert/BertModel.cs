using Norton.Core.Validation;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Models.Bert;

/// <summary>
/// An HF-BERT-3.4 encoder (<c>transformers.BertModel</c>): embeddings, post-LN layers, pooler. Module paths equal the
/// HF state-dict keys (<c>embeddings.*</c>, <c>encoder.layer.N.*</c>, <c>pooler.*</c>). VideoCLIP's text tower is
/// this model at bert-base-uncased size.
/// </summary>
public sealed class BertModel : nn.Module<Tensor, Tensor, BertModelOutput>
{
#pragma warning disable IDE1006 // field names are the PyTorch attribute names, so state dicts load by name
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;
    private readonly BertPooler pooler;
#pragma warning restore IDE1006

    /// <summary>Builds the encoder (random weights: load a checkpoint before use).</summary>
    /// <param name="config">Sizes.</param>
    /// <param name="device">Where the weights live (<c>torch.META</c> builds the structure without storage).</param>
    /// <param name="dtype">The parameters' dtype (null: TorchSharp's default, float32), as in TorchSharp's own modules.</param>
    public BertModel(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertModel))
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        embeddings = new BertEmbeddings(config, device, dtype);
        encoder = new BertEncoder(config, device, dtype);
        pooler = new BertPooler(config, device, dtype);
        RegisterComponents();
    }

    /// <summary>The sizes this model was built with.</summary>
    public BertConfig Config { get; }

    /// <summary>The transformer layers (<c>encoder</c>).</summary>
    public BertEncoder Encoder => encoder;

    /// <summary>Encodes token ids with token type 0 and positions 0..L−1.</summary>
    /// <param name="inputIds">(B, L) int64 ids in [0, vocab).</param>
    /// <param name="attentionMask">(B, L) bool or 0/1 integers: false keys are masked (additive −10000).</param>
    /// <exception cref="ArgumentException">Wrong rank, dtype or batch size, L longer than the position table, ids
    /// outside the vocabulary.</exception>
    public override BertModelOutput forward(Tensor inputIds, Tensor attentionMask) => forward(inputIds, attentionMask, diagnostics: false);

    /// <summary>As <see cref="forward(Tensor, Tensor)"/>; with <paramref name="diagnostics"/> also returns the embedding
    /// output and every layer's output in <see cref="BertModelOutput.HiddenStates"/> (HF's <c>output_hidden_states</c>).</summary>
    /// <param name="inputIds">(B, L) int64 ids in [0, vocab).</param>
    /// <param name="attentionMask">(B, L) bool or 0/1 integers: false keys are masked (additive −10000).</param>
    /// <param name="diagnostics">Keep the intermediate hidden states.</param>
    /// <exception cref="ArgumentException">As <see cref="forward(Tensor, Tensor)"/>.</exception>
    public BertModelOutput forward(Tensor inputIds, Tensor attentionMask, bool diagnostics)
    {
        InputChecks.TokenIds(inputIds, Config.VocabSize, nameof(inputIds));
        InputChecks.Mask(attentionMask, inputIds.shape, nameof(attentionMask));
        if (inputIds.shape[1] > Config.MaxPositionEmbeddings)
            throw Guard.Argument(nameof(inputIds), $"fit the position table ({Config.MaxPositionEmbeddings} rows)",
                $"has {inputIds.shape[1]} positions (shape {Guard.Shape(inputIds)})");

        using var scope = NewDisposeScope();
        var bias = AttentionMask.Extend(attentionMask, embeddings.WordEmbeddings.weight!.dtype);
        var embedded = embeddings.forward(inputIds);
        var hidden = new List<Tensor>();
        if (diagnostics) hidden.Add(embedded.alias());
        var last = encoder.Run(embedded, bias, diagnostics ? hidden : null);
        var pooled = pooler.forward(last);
        last.MoveToOuterDisposeScope();
        pooled.MoveToOuterDisposeScope();
        foreach (var h in hidden) h.MoveToOuterDisposeScope();
        return new BertModelOutput(last, pooled, hidden);
    }
}
