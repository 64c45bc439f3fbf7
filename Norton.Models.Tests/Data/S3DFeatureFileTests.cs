using Norton.Models.Data;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.Data;

public class S3DFeatureFileTests
{
    [Fact]
    public void ReadsFloat16FeaturesAsFloat32()
    {
        // Element i = (i % 9) / 8 - 0.5: multiples of 1/8 in [-0.5, 0.5], exact in float16, so float32 must match.
        var values = Enumerable.Range(0, 2 * 512).Select(i => (i % 9) / 8f - 0.5f).ToArray();
        using var dir = new TempFolder();
        string path = dir.Write("vid.npy", NpyBytes.File("<f2", "(2, 512)", NpyBytes.Float16(values)));
        using var t = S3DFeatureFile.Read(path);
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(new long[] { 2, 512 }, t.shape);
        Assert.Equal(values, t.data<float>().ToArray());
        Assert.Equal(path, S3DFeatureFile.PathOf(dir.Path, "vid"));
    }

    [Fact]
    public void RejectsOtherShapesAndTypes()
    {
        using var dir = new TempFolder();
        string narrow = dir.Write("n.npy", NpyBytes.File("<f4", "(1, 256)", new byte[1024]));
        string ints = dir.Write("i.npy", NpyBytes.File("<i4", "(1, 512)", new byte[2048]));
        string flat = dir.Write("f.npy", NpyBytes.File("<f2", "(512,)", new byte[1024]));
        Assert.Contains("found (1, 256) of Float32", Assert.Throws<InvalidDataException>(() => S3DFeatureFile.Read(narrow)).Message);
        Assert.Contains("Int32", Assert.Throws<InvalidDataException>(() => S3DFeatureFile.Read(ints)).Message);
        Assert.Contains("(T, 512)", Assert.Throws<InvalidDataException>(() => S3DFeatureFile.Read(flat)).Message);
    }
}
