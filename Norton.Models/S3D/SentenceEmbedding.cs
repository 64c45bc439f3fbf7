using Norton.Core.Validation;
using System.Collections;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Norton.Models.S3D;

/// <summary>
/// S3D's sentence encoder (<c>Sentence_Embedding</c> in s3dg.py, the checkpoint's <c>text_module</c>):
/// word ids (B, L) → <c>word_embd</c> (300-d) → <c>fc1</c> (300→2048) → ReLU → max over the L word slots →
/// <c>fc2</c> (2048→512) = <c>text_embedding</c>, scored against S3D's <c>video_embedding</c> by dot product.
/// Norton itself never uses it.
/// </summary>
/// <remarks>
/// The word table has no padding index: row 0 is an ordinary learned vector and the pad slots take part in the max.
/// Inside <see cref="S3DG"/> (constructor argument) its keys are <c>text_module.word_embd.weight</c>, … as in
/// <c>s3d_howto100m.pth</c>; on its own they lack the prefix, and <see cref="LoadFromS3DCheckpoint"/> strips it.
/// </remarks>
public sealed class SentenceEmbedding : nn.Module<Tensor, Tensor>
{
    /// <summary>The prefix of this module's keys in the S3D checkpoint.</summary>
    public const string CheckpointPrefix = "text_module.";

    // Field names = the original attribute names (state-dict keys).
    internal readonly Embedding word_embd;
    internal readonly Linear fc1;
    internal readonly Linear fc2;

    /// <summary>Creates the encoder with PyTorch's default initialisation (load weights afterwards).</summary>
    /// <param name="numEmbeddings">Rows of the word table (66250 in the released model: the dictionary plus the pad row).</param>
    /// <param name="embeddingDim">Width of the output (<c>embd_dim</c>, 512).</param>
    /// <param name="wordEmbeddingDim">Width of a word vector (300).</param>
    /// <param name="outputDim">Width of fc1 (<c>output_dim</c>, 2048).</param>
    /// <param name="device">Where the parameters live (<c>torch.META</c> builds the structure without storage).</param>
    /// <param name="dtype">The parameters' dtype (null: TorchSharp's default, float32), as in TorchSharp's own modules.</param>
    public SentenceEmbedding(long numEmbeddings = 66250, long embeddingDim = 512, long wordEmbeddingDim = 300, long outputDim = 2048,
        Device? device = null, ScalarType? dtype = null)
        : base(nameof(SentenceEmbedding))
    {
        Guard.Positive(numEmbeddings, nameof(numEmbeddings));
        Guard.Positive(embeddingDim, nameof(embeddingDim));
        Guard.Positive(wordEmbeddingDim, nameof(wordEmbeddingDim));
        Guard.Positive(outputDim, nameof(outputDim));
        word_embd = nn.Embedding(numEmbeddings, wordEmbeddingDim, device: device, dtype: dtype);
        fc1 = nn.Linear(wordEmbeddingDim, outputDim, device: device, dtype: dtype);
        fc2 = nn.Linear(outputDim, embeddingDim, device: device, dtype: dtype);
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        RegisterComponents();
    }

    /// <summary>Rows of the word table; valid ids are 0 … NumEmbeddings−1.</summary>
    public long NumEmbeddings { get; }

    /// <summary>Width of the sentence embedding.</summary>
    public long EmbeddingDim { get; }

    /// <summary>Embeds word ids.</summary>
    /// <param name="input">(B, L) int64 ids in [0, <see cref="NumEmbeddings"/>), L ≥ 1 (16 from <see cref="S3DWordTokenizer"/>).</param>
    /// <returns>(B, <see cref="EmbeddingDim"/>) <c>text_embedding</c>, not normalised.</returns>
    /// <exception cref="ArgumentException">Not a rank-2 int64 tensor with L ≥ 1, or an id outside the table.</exception>
    public override Tensor forward(Tensor input)
    {
        ValidateIds(input);
        using var scope = NewDisposeScope();
        var words = fc1.forward(word_embd.forward(input)).relu_();   // (B, L, 2048)
        var pooled = words.amax(new long[] { 1 });                      // (B, 2048): max over word slots
        return fc2.forward(pooled).MoveToOuterDisposeScope();
    }

    /// <summary>Tokenises and embeds sentences (the original's <c>forward(x, raw_text=True)</c>).</summary>
    /// <param name="sentences">Raw sentences.</param>
    /// <param name="tokenizer">The tokeniser built from the dictionary that belongs to these weights.</param>
    public Tensor EmbedSentences(IReadOnlyList<string> sentences, S3DWordTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        using var scope = NewDisposeScope();
        var ids = tokenizer.EncodeBatch(sentences).to(word_embd.weight!.device);
        return forward(ids).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Loads the <c>text_module.*</c> tensors of an S3D checkpoint or state-dict file (<c>torch.save</c> of a flat
    /// dict, e.g. <c>s3d_howto100m.pth</c>), stripping the prefix; every key of this module must be present.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <exception cref="InvalidDataException">The file has no <c>text_module.*</c> keys, or they do not match this module.</exception>
    public SentenceEmbedding LoadFromS3DCheckpoint(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Hashtable all = PyTorchUnpickler.UnpickleStateDict(path);
        var mine = new Dictionary<string, Tensor>();
        try
        {
            foreach (DictionaryEntry entry in all)
                if (entry.Key is string key && key.StartsWith(CheckpointPrefix, StringComparison.Ordinal) && entry.Value is Tensor t)
                    mine[key[CheckpointPrefix.Length..]] = t;
            if (mine.Count == 0)
                throw new InvalidDataException($"{path} has no '{CheckpointPrefix}*' keys");
            var expected = state_dict();
            foreach (var (key, value) in expected)
            {
                if (!mine.TryGetValue(key, out var loaded))
                    throw new InvalidDataException($"{path} lacks '{CheckpointPrefix}{key}'");
                if (!loaded.shape.SequenceEqual(value.shape))
                    throw new InvalidDataException(
                        $"{path}: '{CheckpointPrefix}{key}' has shape [{string.Join(", ", loaded.shape)}], this module expects [{string.Join(", ", value.shape)}]");
            }
            load_state_dict(mine, strict: true);
            return this;
        }
        finally
        {
            foreach (var value in all.Values)
                (value as IDisposable)?.Dispose();
        }
    }

    private void ValidateIds(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 2 || input.shape[1] < 1)
            throw Guard.Argument(nameof(input), "be a (B, L) tensor of word ids with L >= 1", $"has shape {Guard.Shape(input)}");
        Guard.DType(input, ScalarType.Int64, nameof(input));
        if (input.numel() == 0) return;
        long min = input.min().item<long>(), max = input.max().item<long>();
        if (min < 0 || max >= NumEmbeddings)
            throw Guard.Argument(nameof(input), $"hold word ids in [0, {NumEmbeddings})", $"holds values from {min} to {max}");
    }
}
