using System.Globalization;
using System.Text.RegularExpressions;
using Norton.Models.S3D;
using Norton.TestSupport;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.S3D;

/// <summary>S3D's Sentence_Embedding and its tokeniser against testdata/fixtures/s3d-text.</summary>
public class SentenceEmbeddingParityTests
{
    public static TheoryData<CaseRef> Fixtures => Fixture.Folders("s3d-text");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void TokenIdsMatchExactly(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        var tokenizer = S3DWordTokenizer.FromNpy(DictionaryPath(fx));
        using var ids = tokenizer.EncodeBatch(Sentences(fx));
        var expected = fx["token_ids"];
        Assert.Equal(expected.shape, ids.shape);
        Assert.Equal(expected.data<long>().ToArray(), ids.data<long>().ToArray());
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void DictionaryReadsLikeNumpy(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        if (!fx.Meta.GetProperty("dictionary").TryGetProperty("words", out var listed)) return; // only some fixtures list them
        var words = NpyStringArray.Read(DictionaryPath(fx));
        var expected = listed.EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(expected, words);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void EmbeddingMatchesOriginal(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        var (rtol, atol) = MetaTolerance(fx);
        using var model = NewModel(fx).LoadFromS3DCheckpoint(fx.WeightsPath);
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ids = fx["token_ids"];

        // Intermediates first, so a failure points at the first step that diverges.
        var words = model.fc1.forward(model.word_embd.forward(ids)).relu();
        Tolerance.AssertClose(fx["fc1_relu"], words, rtol, 0, atol, $"{fx.Name} fc1_relu");
        Tolerance.AssertClose(fx["max_pooled"], words.amax(new long[] { 1 }), rtol, 0, atol, $"{fx.Name} max_pooled");
        Tolerance.AssertClose(fx["output"], model.forward(ids), rtol, 0, atol, $"{fx.Name} output");

        // The raw-text path: tokeniser + module.
        var tokenizer = S3DWordTokenizer.FromNpy(DictionaryPath(fx));
        Tolerance.AssertClose(fx["output"], model.EmbedSentences(Sentences(fx), tokenizer), rtol, 0, atol, $"{fx.Name} output from text");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void LoadsAsTextModuleOfS3DByCheckpointKeys(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        var (rtol, atol) = MetaTolerance(fx);
        using var s3d = new S3DG(textModule: NewModel(fx));
        var loaded = new Dictionary<string, bool>();
        s3d.load_py(fx.WeightsPath, strict: false, loadedParameters: loaded);
        var textKeys = s3d.state_dict().Keys.Where(k => k.StartsWith(SentenceEmbedding.CheckpointPrefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(S3DParityTests.ExpectedKeys(fx.Meta).Select(k => k.Key).OrderBy(k => k, StringComparer.Ordinal),
            textKeys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.All(textKeys, k => Assert.True(loaded.GetValueOrDefault(k), $"{k} not loaded"));

        s3d.eval();
        using var noGrad = no_grad();
        using var output = s3d.TextModule!.forward(fx["token_ids"]);
        Tolerance.AssertClose(fx["output"], output, rtol, 0, atol, $"{fx.Name} output via S3DG.text_module");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void StateDictKeysAndShapesEqualTheCheckpointsWithoutPrefix(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        using var model = NewModel(fx);
        var expected = S3DParityTests.ExpectedKeys(fx.Meta)
            .Select(k => $"{k.Key[SentenceEmbedding.CheckpointPrefix.Length..]} [{k.Shape}]").ToList();
        var actual = model.state_dict().Select(kv => $"{kv.Key} [{string.Join(",", kv.Value.shape)}]").ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }

    /// <summary>A module sized like the fixture (its word table is smaller than the real 66250 rows).</summary>
    internal static SentenceEmbedding NewModel(Fixture fx)
    {
        var table = S3DParityTests.ExpectedKeys(fx.Meta).Single(k => k.Key == "text_module.word_embd.weight").Shape.Split(',');
        return new SentenceEmbedding(numEmbeddings: long.Parse(table[0], CultureInfo.InvariantCulture));
    }

    /// <summary>meta.json → dictionary.file (the numpy word list), relative to the fixture folder.</summary>
    private static string DictionaryPath(Fixture fx) =>
        Path.Combine(fx.Folder, fx.Meta.GetProperty("dictionary").GetProperty("file").GetString()!);

    private static string[] Sentences(Fixture fx) =>
        fx.Meta.GetProperty("sentences").EnumerateArray().Select(e => e.GetString()!).ToArray();

    /// <summary>meta.json → suggested_tolerance, "|a-b| &lt;= ATOL + RTOL*|b|; …".</summary>
    private static (double Rtol, double Atol) MetaTolerance(Fixture fx)
    {
        string text = fx.Meta.GetProperty("suggested_tolerance").GetString()!;
        var m = Regex.Match(text, @"\|a-b\|\s*<=\s*([0-9.eE+-]+)\s*\+\s*([0-9.eE+-]+)\s*\*\s*\|b\|");
        Assert.True(m.Success, $"{fx.Name}: cannot read suggested_tolerance '{text}'");
        return (double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }
}
