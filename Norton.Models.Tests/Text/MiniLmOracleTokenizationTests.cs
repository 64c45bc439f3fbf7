using Norton.Models.Text;
using Norton.TestSupport;
using Xunit;

namespace Norton.Models.Tests.Text;

public class MiniLmOracleTokenizationTests
{
    public static TheoryData<CaseRef> Folders => Fixture.Folders("minilm-oracle");

    [Theory]
    [MemberData(nameof(Folders))]
    public void ReproducesTheFixtureInputIds(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        string[] sentences = fx.Meta.GetProperty("sentences").EnumerateArray().Select(s => s.GetString()!).ToArray();
        long[,] inputIds = ToMatrix(fx["input_ids"].data<long>().ToArray(), sentences.Length);
        long[,] attention = ToMatrix(fx["attention_mask"].data<long>().ToArray(), sentences.Length);
        int width = inputIds.GetLength(1);

        for (int b = 0; b < sentences.Length; b++)
        {
            IReadOnlyList<int> ids = BertWordPieceTokenizer.BertBaseUncased.EncodeToIds(sentences[b], addSpecialTokens: true);
            // io.pt rows are right-padded with 0, and the attention mask marks the real tokens.
            long[] expected = Enumerable.Range(0, width).Select(j => inputIds[b, j]).ToArray();
            long[] actual = ids.Select(i => (long)i).Concat(Enumerable.Repeat(0L, width - ids.Count)).ToArray();
            Assert.Equal(expected, actual);
            Assert.Equal(ids.Count, Enumerable.Range(0, width).Sum(j => (int)attention[b, j]));

            string[] tokens = fx.Meta.GetProperty("tokens")[b].EnumerateArray().Select(t => t.GetString()!).ToArray();
            Assert.Equal(tokens, BertWordPieceTokenizer.BertBaseUncased.Tokenize(sentences[b]));
        }
    }

    private static long[,] ToMatrix(long[] flat, int rows)
    {
        int cols = flat.Length / rows;
        var m = new long[rows, cols];
        for (int i = 0; i < flat.Length; i++) m[i / cols, i % cols] = flat[i];
        return m;
    }
}
