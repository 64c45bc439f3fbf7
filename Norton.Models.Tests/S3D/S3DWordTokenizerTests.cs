using System.Text.Json;
using Norton.Models.S3D;
using Xunit;

namespace Norton.Models.Tests.S3D;

/// <summary>
/// The tokeniser rule and the .npy reader against values that Python/NumPy produced
/// (Fixtures/s3d-npy/make_s3d_npy_cases.py → expected.json).
/// </summary>
public class S3DWordTokenizerTests
{
    private static readonly string CaseFolder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "s3d-npy");

    private static JsonElement Expected()
    {
        using var stream = File.OpenRead(Path.Combine(CaseFolder, "expected.json"));
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.Clone();
    }

    public static TheoryData<int> SplitCases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Expected().GetProperty("split_cases").GetArrayLength(); i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(SplitCases))]
    public void SplitsLikePythonLowerAndFindall(int index)
    {
        var c = Expected().GetProperty("split_cases")[index];
        var tokenizer = new S3DWordTokenizer(Array.Empty<string>());
        var expected = c.GetProperty("words").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(expected, tokenizer.SplitWords(c.GetProperty("sentence").GetString()!));
    }

    [Theory]
    [InlineData("words_2d_U3.npy")]
    [InlineData("words_v2_U5.npy")]
    [InlineData("words_v3_U2.npy")]
    public void NpyStringArrayReadsLikeNumpy(string file)
    {
        var expected = Expected().GetProperty("npy").GetProperty(file).EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(expected, NpyStringArray.Read(Path.Combine(CaseFolder, file)));
    }

    [Theory]
    [InlineData("bad_bigendian_U2.npy", ">U2")]
    [InlineData("bad_float32.npy", "<f4")]
    [InlineData("bad_fortran_U1.npy", "Fortran")]
    public void NpyStringArrayRejectsOtherArrays(string file, string messagePart)
    {
        var e = Assert.Throws<InvalidDataException>(() => NpyStringArray.Read(Path.Combine(CaseFolder, file)));
        Assert.Contains(messagePart, e.Message);
        Assert.Contains(file, e.Message);
    }

    [Fact]
    public void NpyStringArrayRejectsTruncatedAndForeignFiles()
    {
        var good = File.ReadAllBytes(Path.Combine(CaseFolder, "words_v2_U5.npy"));
        var truncated = Assert.Throws<InvalidDataException>(() => NpyStringArray.Read(new MemoryStream(good[..^3])));
        Assert.Contains("file ends", truncated.Message);
        var foreign = Assert.Throws<InvalidDataException>(() => NpyStringArray.Read(new MemoryStream("PK\u0003\u0004 not npy"u8.ToArray())));
        Assert.Contains("magic", foreign.Message);
    }

    [Fact]
    public void UnknownWordsAreDroppedThenIdsTruncatedOrPadded()
    {
        // Rule of s3dg.py _words_to_token: word i → id i+1, unknown words dropped before truncating to max_words.
        var tokenizer = new S3DWordTokenizer(new[] { "a", "b", "c" }, maxWords: 3);
        Assert.Equal(new long[] { 1, 3, 0 }, tokenizer.Encode("A zzz C"));
        Assert.Equal(new long[] { 2, 1, 3 }, tokenizer.Encode("zzz b yyy a c a b"));
        Assert.Equal(new long[] { 0, 0, 0 }, tokenizer.Encode("zzz yyy"));
        Assert.Equal(new long[] { 0, 0, 0 }, tokenizer.Encode(""));
    }

    [Fact]
    public void RepeatedDictionaryWordKeepsItsLastId()
    {
        // {t: i+1 for i, t in enumerate(words)}: a later duplicate overwrites the earlier id.
        var tokenizer = new S3DWordTokenizer(new[] { "x", "y", "x" });
        Assert.Equal(3, tokenizer.TryGetId("x"));
        Assert.Equal(2, tokenizer.TryGetId("y"));
        Assert.Null(tokenizer.TryGetId("X"));
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new S3DWordTokenizer(new[] { "a" }, maxWords: 0));
        Assert.Throws<ArgumentNullException>(() => new S3DWordTokenizer(new[] { "a" }).Encode(null!));
        var e = Assert.Throws<ArgumentException>(() => new S3DWordTokenizer(new[] { "a" }).EncodeBatch(new[] { "a", null! }));
        Assert.Contains("sentence 1", e.Message);
    }
}
