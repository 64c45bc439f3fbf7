using Norton.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Models.Bert;

/// <summary>
/// BERT input embeddings (HF <c>BertEmbeddings</c>): word + position + token type, then LayerNorm and dropout.
/// Submodule names equal the HF state-dict keys, including the int64 <c>position_ids</c> buffer (1, max_pos) that
/// transformers-3.x checkpoints carry.
/// </summary>
public sealed class BertEmbeddings : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the PyTorch attribute names, so state dicts load by name
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly Float32LayerNorm LayerNorm;
    private readonly Dropout dropout;
    private readonly Tensor position_ids;
#pragma warning restore IDE1006

    /// <summary>Builds the embedding tables for <paramref name="config"/>.</summary>
    /// <param name="config">Sizes.</param>
    /// <param name="device">Where the weights live (<c>torch.META</c> builds without storage).</param>
    /// <param name="dtype">The parameters' dtype (null: TorchSharp's default, float32), as in TorchSharp's own modules.</param>
    public BertEmbeddings(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertEmbeddings))
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize, device: device, dtype: dtype);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize, device: device, dtype: dtype);
        token_type_embeddings = nn.Embedding(config.TypeVocabSize, config.HiddenSize, device: device, dtype: dtype);
        LayerNorm = new Float32LayerNorm(config.HiddenSize, config.LayerNormEps, device, dtype);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        position_ids = Scalars.Arange(config.MaxPositionEmbeddings, device).unsqueeze(0);
        register_buffer(nameof(position_ids), position_ids, persistent: true);
        RegisterComponents();
    }

    /// <summary>The sizes this module was built with.</summary>
    public BertConfig Config { get; }

    /// <summary>The word-embedding table, (vocab, D).</summary>
    public Embedding WordEmbeddings => word_embeddings;

    /// <summary>Embeds token ids (B, L) int64 at positions 0..L−1 with token type 0. Output (B, L, D).</summary>
    public override Tensor forward(Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        var inputsEmbeds = word_embeddings.forward(inputIds);
        var positions = position_ids.narrow(1, 0, inputIds.shape[1]);
        return Embed(inputsEmbeds, positions).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>Dropout(LayerNorm((inputsEmbeds + pos_emb[positionIds]) + type_emb[0]))</c>, the HF-3.4 order of additions.
    /// </summary>
    /// <param name="inputsEmbeds">(B, L, D) input vectors (word embeddings, or video tokens in the video tower).</param>
    /// <param name="positionIds">(1, L) or (B, L) int64 positions, each below <see cref="BertConfig.MaxPositionEmbeddings"/>.</param>
    /// <returns>(B, L, D).</returns>
    internal Tensor Embed(Tensor inputsEmbeds, Tensor positionIds)
    {
        using var scope = NewDisposeScope();
        // Token types are always 0 in VideoCLIP: add row 0 of the table, broadcast over (B, L).
        var typeEmbedding = token_type_embeddings.weight!.narrow(0, 0, 1);
        var embeddings = inputsEmbeds.add(position_embeddings.forward(positionIds), Scalars.One);
        embeddings = embeddings.add(typeEmbedding, Scalars.One);
        embeddings = LayerNorm.forward(embeddings);
        return dropout.forward(embeddings).MoveToOuterDisposeScope();
    }
}
