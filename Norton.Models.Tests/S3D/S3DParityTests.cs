using System.Text.Json;
using Norton.Models.S3D;
using Norton.TestSupport;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.S3D;

/// <summary>S3D-G against the fixtures made by running the original s3dg.py (testdata/fixtures/s3d).</summary>
public class S3DParityTests
{
    public static TheoryData<CaseRef> Fixtures => Fixture.Folders("s3d");

    // README: max|a-b| <= 1e-3 * max|expected| for output, mixed_5c, chanmean.* and map.*.
    private const double RelativeToMax = 1e-3;

    /// <summary>Builds the network and loads the fixture's weights by their original key names.</summary>
    internal static S3DG LoadModel(Fixture fx)
    {
        var model = new S3DG();
        var loaded = new Dictionary<string, bool>();
        model.load_py(fx.WeightsPath, strict: false, loadedParameters: loaded);
        var missing = model.state_dict().Keys.Where(k => !loaded.GetValueOrDefault(k)).ToList();
        Assert.True(missing.Count == 0, $"{fx.Name}: weights did not set {string.Join(", ", missing)}");
        model.eval();
        return model;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ForwardMatchesOriginal(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        using var model = LoadModel(fx);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var result = model.forward(fx["input"], diagnostics: true);

        // Stages first, in network order, so that a failure names the first stage that diverges.
        int compared = 0;
        foreach (string stage in S3DG.StageNames)
        {
            if (fx.Has($"chanmean.{stage}"))
            {
                Tolerance.AssertClose(fx[$"chanmean.{stage}"], result.Stages[stage].mean(new long[] { 2, 3, 4 }), 0, RelativeToMax, 0, $"{fx.Name} chanmean.{stage}");
                compared++;
            }
            if (fx.Has($"map.{stage}"))
                Tolerance.AssertClose(fx[$"map.{stage}"], result.Stages[stage], 0, RelativeToMax, 0, $"{fx.Name} map.{stage}");
        }
        Assert.True(compared >= 10, $"{fx.Name}: only {compared} chanmean.* keys found");

        Tolerance.AssertClose(fx["mixed_5c"], result.Mixed5c, 0, RelativeToMax, 0, $"{fx.Name} mixed_5c");
        Tolerance.AssertClose(fx["output"], result.VideoEmbedding, 0, RelativeToMax, 0, $"{fx.Name} output");
        if (fx.Has("video_embedding_l2"))
            Tolerance.AssertClose(fx["video_embedding_l2"], nn.functional.normalize(result.VideoEmbedding, dim: 1), 0, RelativeToMax, 0, $"{fx.Name} video_embedding_l2");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Float64ForwardMatchesOriginalFloat64(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        if (!fx.Has("video_embedding_float64")) return;
        using var model = LoadModel(fx);
        model.to(float64);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var result = model.forward(fx["input"].to(float64));
        // Both sides in float64: only summation order differs, so a far tighter bound than the fp32 rule holds.
        Tolerance.AssertClose(fx["mixed_5c_float64"], result.Mixed5c, 0, 1e-9, 0, $"{fx.Name} mixed_5c_float64");
        Tolerance.AssertClose(fx["video_embedding_float64"], result.VideoEmbedding, 0, 1e-9, 0, $"{fx.Name} video_embedding_float64");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void StateDictKeysAndShapesEqualTheOriginal(CaseRef folder)
    {
        using var fx = Fixture.Load(folder);
        var expected = ExpectedKeys(fx.Meta).Where(k => !k.Key.StartsWith(SentenceEmbedding.CheckpointPrefix, StringComparison.Ordinal)).ToList();
        using var model = new S3DG();
        var actual = model.state_dict().Select(kv => (kv.Key, Shape: string.Join(",", kv.Value.shape))).ToList();
        // TorchSharp lists all parameters before all buffers, PyTorch module by module: loading goes by name, so compare sets.
        Assert.Equal(expected.Select(k => $"{k.Key} [{k.Shape}]").Order(StringComparer.Ordinal),
            actual.Select(k => $"{k.Key} [{k.Shape}]").Order(StringComparer.Ordinal));
    }

    /// <summary>(key, "d0,d1,…") of meta.json → state_dict.keys, in file order.</summary>
    internal static List<(string Key, string Shape)> ExpectedKeys(JsonElement meta) =>
        meta.GetProperty("state_dict").GetProperty("keys").EnumerateArray()
            .Select(e => (e.GetProperty("key").GetString()!, string.Join(",", e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()))))
            .ToList();
}
