using System.Text;
using Norton.Models.Serialization;
using Xunit;

namespace Norton.Models.Tests.Serialization;

/// <summary>The safetensors reader on a file written from the format description (testdata/readers).</summary>
public sealed class SafetensorsFileTests
{
    [Fact]
    public void ReadsEveryTensorExactly()
    {
        var tensors = SafetensorsFile.Load(ReaderFixtures.Path("tensors.safetensors"));
        Assert.Equal(["a.weight", "a.bias", "ids", "flags"], tensors.Keys);
        Assert.Equal(new long[] { 2, 3 }, tensors["a.weight"].shape);
        Assert.Equal(Enumerable.Range(0, 6).Select(k => k / 4f - 0.5f), tensors["a.weight"].data<float>().ToArray());
        Assert.Equal(new[] { (Half)0, (Half)0.125 }, tensors["a.bias"].data<Half>().ToArray());
        Assert.Equal(Enumerable.Range(0, 6).Select(k => 1000L * k), tensors["ids"].data<long>().ToArray());
        Assert.Equal(Enumerable.Range(0, 6).Select(k => k % 2 == 0), tensors["flags"].data<bool>().ToArray());
        foreach (var t in tensors.Values) t.Dispose();
    }

    [Fact]
    public void OffsetsOutsideTheDataAreRefused()
    {
        byte[] bytes = File.ReadAllBytes(ReaderFixtures.Path("tensors.safetensors"));
        string header = Encoding.UTF8.GetString(bytes, 8, BitConverter.ToInt32(bytes, 0));
        // Point "ids" past the end of the data, keeping the header's length.
        string moved = header.Replace("\"data_offsets\":[28,76]", "\"data_offsets\":[28,99]");
        Assert.NotEqual(header, moved);
        Encoding.UTF8.GetBytes(moved).CopyTo(bytes, 8);
        var e = Assert.Throws<SerializedDataException>(() => SafetensorsFile.Load(new MemoryStream(bytes), "moved.safetensors"));
        Assert.Contains("tensor 'ids'", e.Message);
        Assert.Contains("moved.safetensors", e.Message);
    }
}
