using Norton.Models.Data;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.Data;

public class ShardedTensorTests
{
    // Three items of rows of 2 float16: item 0 = rows 0-1, item 1 empty, item 2 = rows 2-4; element k = k/4.
    private static readonly float[] Rows = Enumerable.Range(0, 10).Select(k => k / 4f).ToArray();

    private static string WriteShard(TempFolder dir, long[] starts, string dataShape = "(5, 2)", byte[]? data = null)
    {
        dir.Write("val_0_starts.npy", NpyBytes.File("<i8", $"({starts.Length},)", NpyBytes.Int64(starts)));
        dir.Write("val_0_data.npy", NpyBytes.File("<f2", dataShape, data ?? NpyBytes.Float16(Rows)));
        return Path.Combine(dir.Path, "val_0");
    }

    [Fact]
    public void ReadsItemsByIndex()
    {
        using var dir = new TempFolder();
        using var shard = ShardedTensor.Open(WriteShard(dir, new long[] { 0, 2, 2, 5 }));
        Assert.Equal((3, 5L, NpyElementType.Float16), (shard.Count, shard.RowCount, shard.ElementType));
        Assert.Equal(new long[] { 2 }, shard.ItemShape);
        Assert.Equal(new long[] { 2, 0, 3 }, shard.Lengths());

        using var last = shard.Read(2);
        Assert.Equal(ScalarType.Float16, last.dtype);
        Assert.Equal(new long[] { 3, 2 }, last.shape);
        using var lastF = last.to(ScalarType.Float32);
        Assert.Equal(Rows[4..], lastF.data<float>().ToArray());
        using var first = shard.Read(0).to(ScalarType.Float32);
        Assert.Equal(Rows[..4], first.data<float>().ToArray());
        using var empty = shard.Read(1);
        Assert.Equal(new long[] { 0, 2 }, empty.shape);

        Assert.Throws<ArgumentOutOfRangeException>(() => shard.Read(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => shard.Length(-1));
    }

    [Fact]
    public void PlainArrayReadsGiveTheTensorReadsValues()
    {
        using var dir = new TempFolder();
        using var shard = ShardedTensor.Open(WriteShard(dir, new long[] { 0, 2, 2, 5 }));
        Assert.Equal(2, shard.RowWidth);
        Assert.Equal(Rows[4..], shard.ReadSingles(2));   // float16 widened exactly (k/4 is representable)
        Assert.Equal(Rows[..4], shard.ReadSingles(0));
        Assert.Empty(shard.ReadSingles(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => shard.ReadSingles(3));
        var wrongType = Assert.Throws<InvalidOperationException>(() => shard.ReadInt32(0));
        Assert.Contains("int32", wrongType.Message);

        // int32 rows of 3 with int32 offsets (the original wrote both widths).
        dir.Write("ids_starts.npy", NpyBytes.File("<i4", "(3,)", NpyBytes.Int32(0, 1, 3)));
        dir.Write("ids_data.npy", NpyBytes.File("<i4", "(3, 3)", NpyBytes.Int32(1, 2, 3, 4, 5, 6, 7, 8, 9)));
        using var ids = ShardedTensor.Open(Path.Combine(dir.Path, "ids"));
        Assert.Equal(new long[] { 1, 2 }, ids.Lengths());
        Assert.Equal(new[] { 4, 5, 6, 7, 8, 9 }, ids.ReadInt32(1));
        using var asTensor = ids.Read(1);
        Assert.Equal(asTensor.data<int>().ToArray(), ids.ReadInt32(1));
        Assert.Throws<InvalidOperationException>(() => ids.ReadSingles(0));
        ids.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ids.ReadInt32(0));
    }

    [Fact]
    public void ReadsAnItemBeyondTwoGigabytesOfASparseShard()
    {
        // 2.2 M rows of 512 float16 = 2.25 GB, written sparse: only the header and the last two rows hold data.
        // Opening maps the file without reading it; item 1 (the last two rows) sits past 2^31 bytes.
        const long rows = 2_200_000;
        using var dir = new TempFolder();
        dir.Write("big_starts.npy", NpyBytes.File("<i8", "(3,)", NpyBytes.Int64(0, rows - 2, rows)));
        byte[] header = NpyBytes.File("<f2", $"({rows}, 512)", Array.Empty<byte>());
        float[] tail = Enumerable.Range(0, 1024).Select(k => (k % 64) / 8f).ToArray();
        using (var f = new FileStream(Path.Combine(dir.Path, "big_data.npy"), FileMode.Create))
        {
            f.Write(header);
            f.SetLength(header.Length + rows * 1024);
            f.Seek(header.Length + (rows - 2) * 1024, SeekOrigin.Begin);
            f.Write(NpyBytes.Float16(tail));
        }
        using var shard = ShardedTensor.Open(Path.Combine(dir.Path, "big"));
        Assert.Equal(rows - 2, shard.Length(0));
        using var item = shard.Read(1).to(ScalarType.Float32);
        Assert.Equal(new long[] { 2, 512 }, item.shape);
        Assert.Equal(tail, item.data<float>().ToArray());
    }

    [Fact]
    public void MalformedShardsNameTheFile()
    {
        using var dir = new TempFolder();
        string Bad(long[] starts, string shape = "(5, 2)", byte[]? data = null) =>
            Assert.Throws<InvalidDataException>(() => ShardedTensor.Open(WriteShard(dir, starts, shape, data))).Message;

        Assert.Contains("starts[0] = 0, found 1", Bad(new long[] { 1, 2, 5 }));
        Assert.Contains("starts[2] = 1 < starts[1] = 3", Bad(new long[] { 0, 3, 1, 5 }));
        string end = Bad(new long[] { 0, 2, 4 });
        Assert.Contains("val_0_starts.npy", end);
        Assert.Contains("last offset is 4, but the data file has 5 rows", end);
        string truncated = Bad(new long[] { 0, 2, 5 }, data: NpyBytes.Float16(Rows[..7]));
        Assert.Contains("val_0_data.npy", truncated);
        Assert.Contains("needs 20 bytes", truncated);
        Assert.Contains("found 14", truncated);
        Assert.Contains("0-d", Bad(new long[] { 0 }, "()", NpyBytes.Float16(1)));

        WriteShard(dir, new long[] { 0, 5 });
        dir.Write("val_0_starts.npy", NpyBytes.File("<f4", "(2,)", NpyBytes.Float32(0, 5)));
        Assert.Contains("1-D int64", Assert.Throws<InvalidDataException>(() => ShardedTensor.Open(Path.Combine(dir.Path, "val_0"))).Message);
        Assert.Throws<FileNotFoundException>(() => ShardedTensor.Open(Path.Combine(dir.Path, "missing")));
    }

    [Fact]
    public void DisposedShardRefusesReads()
    {
        using var dir = new TempFolder();
        var shard = ShardedTensor.Open(WriteShard(dir, new long[] { 0, 5 }));
        shard.Dispose();
        shard.Dispose();
        Assert.Throws<ObjectDisposedException>(() => shard.Read(0));
    }
}
