using Norton.Core.Validation;
using static TorchSharp.torch;

namespace Norton.Models.S3D;

/// <summary>
/// The tokeniser of S3D's sentence encoder (<c>Sentence_Embedding._words_to_ids</c> in s3dg.py): lowercase with Python's
/// <c>str.lower()</c>, split with <c>re.findall(r"[\w']+", …)</c> (Unicode <c>\w</c>: letters incl. accented ones,
/// digits, <c>_</c>), map each word through the dictionary (word <i>i</i> → id <i>i</i>+1), drop unknown words, then
/// truncate or zero-pad to <see cref="MaxWords"/> ids. A sentence without a known word gives all zeros.
/// </summary>
public sealed class S3DWordTokenizer
{
    /// <summary>The released model's word-slot count.</summary>
    public const int DefaultMaxWords = 16;

    private readonly Dictionary<string, long> _ids;

    /// <summary>Creates the tokeniser from the dictionary's words in file order.</summary>
    /// <param name="words">Word <i>i</i> gets id <i>i</i>+1; id 0 is the pad. A repeated word keeps its last id, as in the original's dict comprehension.</param>
    /// <param name="maxWords">Ids per sentence (16 in the released model).</param>
    public S3DWordTokenizer(IReadOnlyList<string> words, int maxWords = DefaultMaxWords)
    {
        Guard.NotNull(words, nameof(words));
        Guard.Positive(maxWords, nameof(maxWords));
        _ids = new Dictionary<string, long>(words.Count, StringComparer.Ordinal);
        for (int i = 0; i < words.Count; i++)
            _ids[words[i] ?? throw Guard.Argument(nameof(words), "hold no null word", $"word {i} is null")] = i + 1;
        DictionarySize = words.Count;
        MaxWords = maxWords;
    }

    /// <summary>Loads the dictionary from a NumPy <c>&lt;U</c> string array (<c>s3d_dict.npy</c>).</summary>
    /// <param name="path">The .npy file.</param>
    /// <param name="maxWords">Ids per sentence.</param>
    public static S3DWordTokenizer FromNpy(string path, int maxWords = DefaultMaxWords) => new(NpyStringArray.Read(path), maxWords);

    /// <summary>Ids per sentence.</summary>
    public int MaxWords { get; }

    /// <summary>Number of dictionary entries; ids run from 1 to this value (0 is the pad).</summary>
    public int DictionarySize { get; }

    /// <summary>The words of <paramref name="sentence"/> as the original splits them (lowercased, before the dictionary).</summary>
    public IReadOnlyList<string> SplitWords(string sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        return PythonWordSplit.FindWords(PythonWordSplit.Lower(sentence));
    }

    /// <summary>The id of <paramref name="word"/> (exact, case-sensitive match), or null when it is not in the dictionary.</summary>
    public long? TryGetId(string word) => _ids.TryGetValue(word, out long id) ? id : null;

    /// <summary>The <see cref="MaxWords"/> ids of one sentence: known words in order, truncated or zero-padded.</summary>
    public long[] Encode(string sentence)
    {
        var ids = new long[MaxWords];
        int n = 0;
        foreach (string word in SplitWords(sentence))
        {
            if (n == MaxWords) break;
            if (_ids.TryGetValue(word, out long id))
                ids[n++] = id;
        }
        return ids;
    }

    /// <summary>Ids of a batch of sentences as a (B, <see cref="MaxWords"/>) int64 tensor.</summary>
    public Tensor EncodeBatch(IReadOnlyList<string> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var flat = new long[sentences.Count * MaxWords];
        for (int b = 0; b < sentences.Count; b++)
            Encode(sentences[b] ?? throw Guard.Argument(nameof(sentences), "hold no null sentence", $"sentence {b} is null"))
                .CopyTo(flat, b * MaxWords);
        return tensor(flat, new long[] { sentences.Count, MaxWords }, ScalarType.Int64);
    }
}
