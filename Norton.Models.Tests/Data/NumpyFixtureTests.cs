using Norton.Models.Data;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.Data;

/// <summary>Files written by numpy itself (Fixtures/make_fixtures.py), read back with the formula that made them.</summary>
public class NumpyFixtureTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", name);

    // pattern(rows, cols) in make_fixtures.py: element k (row-major) = (k % 17) / 16 - 0.5.
    private static float[] Pattern(int count) => Enumerable.Range(0, count).Select(k => (k % 17) / 16f - 0.5f).ToArray();

    [Theory]
    [InlineData("s3d_f16.npy")]
    [InlineData("s3d_f32.npy")]
    public void ReadsFeatureFilesSavedByNumpy(string name)
    {
        using var t = S3DFeatureFile.Read(Fixture(name));
        Assert.Equal(new long[] { 3, 512 }, t.shape);
        Assert.Equal(Pattern(3 * 512), t.data<float>().ToArray());
    }

    [Fact]
    public void ReadsFormatThreeWrittenByNumpy()
    {
        NpyHeader h = NpyFile.ReadHeader(Fixture("pattern_f64_v3.npy"));
        Assert.Equal(3, h.MajorVersion);
        using var t = NpyFile.Read(Fixture("pattern_f64_v3.npy"));
        Assert.Equal(ScalarType.Float64, t.dtype);
        Assert.Equal(Pattern(10).Select(x => (double)x).ToArray(), t.data<double>().ToArray());
    }

    [Fact]
    public void ReadsAShardSavedByNumpy()
    {
        // Items: pattern(2,4), pattern(0,4), pattern(3,4) + 1, stored float16 with int64 starts [0, 2, 2, 5].
        using var shard = ShardedTensor.Open(Fixture("shard"));
        Assert.Equal(new long[] { 2, 0, 3 }, shard.Lengths());
        using var first = shard.Read(0).to(ScalarType.Float32);
        Assert.Equal(Pattern(8), first.data<float>().ToArray());
        using var last = shard.Read(2).to(ScalarType.Float32);
        Assert.Equal(Pattern(12).Select(x => x + 1).ToArray(), last.data<float>().ToArray());
    }
}
