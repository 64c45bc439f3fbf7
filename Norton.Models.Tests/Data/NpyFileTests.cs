using Norton.Models.Data;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.Data;

public class NpyFileTests
{
    [Fact]
    public void ReadsFloat32VersionOne()
    {
        using var dir = new TempFolder();
        string path = dir.Write("a.npy", NpyBytes.File("<f4", "(2, 3)", NpyBytes.Float32(1, 2, 3, -4, 5.5f, 6)));
        NpyHeader h = NpyFile.ReadHeader(path);
        Assert.Equal((NpyElementType.Float32, 1, 128L), (h.ElementType, h.MajorVersion, h.DataOffset));
        Assert.Equal(new long[] { 2, 3 }, h.Shape);
        using var t = NpyFile.Read(path);
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.Equal(new float[] { 1, 2, 3, -4, 5.5f, 6 }, t.data<float>().ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void ReadsVersionsTwoAndThree(int major)
    {
        // 4-byte header length: 12 + 56 header characters + newline, padded to the 64-byte boundary -> data at 128.
        using var dir = new TempFolder();
        string path = dir.Write("b.npy", NpyBytes.File("<f8", "(3,)", NpyBytes.Float64(0.25, -1e300, 7), major));
        Assert.Equal((major, 128L), (NpyFile.ReadHeader(path).MajorVersion, NpyFile.ReadHeader(path).DataOffset));
        using var t = NpyFile.Read(path);
        Assert.Equal(new[] { 0.25, -1e300, 7 }, t.data<double>().ToArray());
    }

    [Fact]
    public void ReadsFloat16IntegersAndScalars()
    {
        using var dir = new TempFolder();
        using var half = NpyFile.Read(dir.Write("h.npy", NpyBytes.File("<f2", "(2,)", NpyBytes.Float16(0.5f, -1.25f))));
        Assert.Equal(ScalarType.Float16, half.dtype);
        using var halfAsFloat = half.to(ScalarType.Float32);
        Assert.Equal(new[] { 0.5f, -1.25f }, halfAsFloat.data<float>().ToArray());

        using var i8 = NpyFile.Read(dir.Write("i.npy", NpyBytes.File("<i8", "(2, 1)", NpyBytes.Int64(-3, 1L << 40))));
        Assert.Equal(new[] { -3L, 1L << 40 }, i8.data<long>().ToArray());

        using var u1 = NpyFile.Read(dir.Write("u.npy", NpyBytes.File("|u1", "(3,)", new byte[] { 0, 7, 255 })));
        Assert.Equal(new byte[] { 0, 7, 255 }, u1.data<byte>().ToArray());

        using var scalar = NpyFile.Read(dir.Write("s.npy", NpyBytes.File("<i4", "()", NpyBytes.Int32(42))));
        Assert.Equal(0, scalar.dim());
        Assert.Equal(42, scalar.item<int>());

        using var empty = NpyFile.Read(dir.Write("e.npy", NpyBytes.File("<f4", "(0, 512)", Array.Empty<byte>())));
        Assert.Equal(new long[] { 0, 512 }, empty.shape);
    }

    [Fact]
    public void IgnoresBytesAfterTheData()
    {
        using var dir = new TempFolder();
        byte[] data = NpyBytes.Float32(1, 2).Concat(new byte[] { 9, 9, 9 }).ToArray();
        using var t = NpyFile.Read(dir.Write("x.npy", NpyBytes.File("<f4", "(2,)", data)));
        Assert.Equal(new float[] { 1, 2 }, t.data<float>().ToArray());
    }

    [Fact]
    public void MalformedFilesNameTheFileAndWhatWasWrong()
    {
        using var dir = new TempFolder();
        string Bad(string name, byte[] bytes) => Assert.Throws<InvalidDataException>(() => NpyFile.Read(dir.Write(name, bytes))).Message;

        Assert.Contains("magic", Bad("magic.npy", "NOTNPY\u0001\0"u8.ToArray()));
        Assert.Contains("found 3 bytes", Bad("short.npy", new byte[] { 0x93, 78, 85 }));
        byte[] v4 = NpyBytes.File("<f4", "(1,)", NpyBytes.Float32(1));
        v4[6] = 4;
        Assert.Contains("version 4.0", Bad("v4.npy", v4));
        byte[] full = NpyBytes.File("<f4", "(4,)", NpyBytes.Float32(1, 2, 3, 4));
        Assert.Contains("expected 118 bytes, found 20", Bad("cut-header.npy", full[..30]));
        string truncated = Bad("cut-data.npy", full[..(128 + 10)]);
        Assert.Contains("cut-data.npy", truncated);
        Assert.Contains("needs 16 bytes", truncated);
        Assert.Contains("found 10", truncated);
        Assert.Contains("Fortran", Bad("f.npy", NpyBytes.File("<f4", "(1,)", NpyBytes.Float32(1), fortran: "True")));
        Assert.Contains("'>f4' is not supported", Bad("be.npy", NpyBytes.File(">f4", "(1,)", NpyBytes.Float32(1))));
        Assert.Contains("'<c8' is not supported", Bad("c.npy", NpyBytes.File("<c8", "(1,)", new byte[8])));
        Assert.Contains("Structured", Bad("st.npy", NpyBytes.Raw("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4])));
        Assert.Contains("'shape'", Bad("noshape.npy", NpyBytes.Raw("{'descr': '<f4', 'fortran_order': False, }", new byte[4])));
        Assert.Contains("malformed", Bad("garbage.npy", NpyBytes.Raw("{'descr': '<f4', 'shape': (1,) 'x'}", new byte[4])));
        Assert.Throws<FileNotFoundException>(() => NpyFile.Read(Path.Combine(dir.Path, "missing.npy")));
    }
}
