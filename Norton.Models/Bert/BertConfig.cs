using Norton.Core.Validation;
namespace Norton.Models.Bert;

/// <summary>
/// Sizes of an HF-BERT-3.4 style encoder (the fields of <c>transformers.BertConfig</c> that shape the weights).
/// Validated once, at construction.
/// </summary>
public sealed record BertConfig
{
    /// <summary>Creates a configuration; every size must be positive and the hidden size divisible by the head count.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, an eps or dropout is out of range.</exception>
    /// <exception cref="ArgumentException">The hidden size is not a multiple of the head count.</exception>
    public BertConfig(
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        int maxPositionEmbeddings,
        int typeVocabSize = 2,
        double layerNormEps = 1e-12,
        double hiddenDropoutProb = 0.1,
        double attentionProbsDropoutProb = 0.1)
    {
        Positive(vocabSize, nameof(vocabSize));
        Positive(hiddenSize, nameof(hiddenSize));
        Positive(numHiddenLayers, nameof(numHiddenLayers));
        Positive(numAttentionHeads, nameof(numAttentionHeads));
        Positive(intermediateSize, nameof(intermediateSize));
        Positive(maxPositionEmbeddings, nameof(maxPositionEmbeddings));
        Positive(typeVocabSize, nameof(typeVocabSize));
        if (hiddenSize % numAttentionHeads != 0)
            throw Guard.Argument(nameof(hiddenSize), $"be a multiple of numAttentionHeads ({numAttentionHeads})", $"is {hiddenSize}");
        Guard.Positive(layerNormEps, nameof(layerNormEps));
        Probability(hiddenDropoutProb, nameof(hiddenDropoutProb));
        Probability(attentionProbsDropoutProb, nameof(attentionProbsDropoutProb));

        VocabSize = vocabSize;
        HiddenSize = hiddenSize;
        NumHiddenLayers = numHiddenLayers;
        NumAttentionHeads = numAttentionHeads;
        IntermediateSize = intermediateSize;
        MaxPositionEmbeddings = maxPositionEmbeddings;
        TypeVocabSize = typeVocabSize;
        LayerNormEps = layerNormEps;
        HiddenDropoutProb = hiddenDropoutProb;
        AttentionProbsDropoutProb = attentionProbsDropoutProb;
    }

    /// <summary>bert-base-uncased: vocab 30522, hidden 768, 12 layers, 12 heads, FFN 3072, 512 positions.</summary>
    public static BertConfig BertBaseUncased { get; } = new(30522, 768, 12, 12, 3072, 512);

    /// <summary>Rows of the word-embedding table.</summary>
    public int VocabSize { get; }

    /// <summary>Model width D.</summary>
    public int HiddenSize { get; }

    /// <summary>Number of transformer layers.</summary>
    public int NumHiddenLayers { get; }

    /// <summary>Number of attention heads (head size = <see cref="HiddenSize"/> / heads).</summary>
    public int NumAttentionHeads { get; }

    /// <summary>Width of the feed-forward block.</summary>
    public int IntermediateSize { get; }

    /// <summary>Rows of the position-embedding table: the longest sequence the model accepts.</summary>
    public int MaxPositionEmbeddings { get; }

    /// <summary>Rows of the token-type (segment) table.</summary>
    public int TypeVocabSize { get; }

    /// <summary>LayerNorm epsilon of every BERT LayerNorm (1e-12 in BERT).</summary>
    public double LayerNormEps { get; }

    /// <summary>Dropout after the embeddings and after each residual branch (active in train mode only).</summary>
    public double HiddenDropoutProb { get; }

    /// <summary>Dropout on the attention probabilities (active in train mode only).</summary>
    public double AttentionProbsDropoutProb { get; }

    /// <summary>Size of one attention head.</summary>
    public int AttentionHeadSize => HiddenSize / NumAttentionHeads;

    /// <summary>A copy with another layer count (the video tower keeps only 6 of BERT-base's 12 layers).</summary>
    public BertConfig WithLayers(int numHiddenLayers) =>
        new(VocabSize, HiddenSize, numHiddenLayers, NumAttentionHeads, IntermediateSize, MaxPositionEmbeddings,
            TypeVocabSize, LayerNormEps, HiddenDropoutProb, AttentionProbsDropoutProb);

    private static void Positive(int value, string name)
    {
        Guard.Positive(value, name);
    }

    private static void Probability(double value, string name)
    {
        if (!(value >= 0 && value < 1))
            throw Guard.OutOfRange(name, value, "lie in [0, 1)");
    }
}
