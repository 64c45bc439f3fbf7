using System.Numerics;
using Norton.Models.Data;
using Norton.Models.Serialization;
using Xunit;

namespace Norton.Models.Tests.Serialization;

/// <summary>The restricted pickle reader on pickles written by Python 3.11 (testdata/readers) and on hand-made bytes.</summary>
public sealed class RestrictedPickleTests
{
    private static Dictionary<object, object?> Dict(object? value) => Assert.IsType<Dictionary<object, object?>>(value);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void PlainDataOfEveryProtocolReadsBackExactly(int protocol)
    {
        var d = Dict(NumpyPickle.Load(ReaderFixtures.Path($"plain_p{protocol}.pkl")));
        Assert.Equal(new object[]
        {
            0L, -1L, 255L, 256L, 65535L, -2147483648L, 2147483648L, long.MaxValue, long.MinValue,
            BigInteger.Pow(2, 64) + 5, -BigInteger.Pow(2, 70),
        }, Assert.IsType<List<object?>>(d["ints"]));
        Assert.Equal(new object[] { 0.0, -1.5, 1e300, double.PositiveInfinity }, Assert.IsType<List<object?>>(d["floats"]));
        Assert.Equal(new object[] { "", "ascii", "caf\u00e9 \u2603 \U0001F600", "line\nbreak" }, Assert.IsType<List<object?>>(d["text"]));
        Assert.Equal(new byte[] { 0, 1, 255 }, d["bytes"]);
        Assert.Equal("ab"u8.ToArray(), d["bytearray"]);
        var tuple = Assert.IsType<object?[]>(d["tuple"]);
        Assert.Equal(1L, tuple[0]);
        Assert.Equal("two", tuple[1]);
        Assert.Equal(new object?[] { 3.0, null }, Assert.IsType<object?[]>(tuple[2]));
        Assert.Empty(Assert.IsType<object?[]>(d["empty_tuple"]));
        Assert.Equal(new object?[] { true, false, null }, Assert.IsType<List<object?>>(d["flags"]));
        Assert.True(Assert.IsType<HashSet<object>>(d["set"]).SetEquals(new object[] { 1L, 2L, 3L }));
        Assert.True(Assert.IsType<HashSet<object>>(d["frozenset"]).SetEquals(new object[] { "a" }));
        Assert.Equal("tuple key", d[new object?[] { 1L, "key" }]);
        Assert.Equal("int key", d[7L]);
        var nested = Dict(Assert.IsType<List<object?>>(Dict(d["nested"])["a"])[0]);
        Assert.Empty(Assert.IsType<List<object?>>(nested["b"]));
        Assert.Equal(13, d.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void ShardMetaOfEveryProtocol(int protocol)
    {
        var meta = ShardMeta.Read(ReaderFixtures.Path($"meta_p{protocol}.pkl"));
        Assert.Equal(new[] { 0, 1, 12 }, meta.Shards.Keys);
        Assert.Equal(new[] { "vidA", "vidB" }, meta.Shards[0]);
        Assert.Empty(meta.Shards[12]);
        Assert.True(meta.TryLocate("vidC", out int shard, out int index));
        Assert.Equal((1, 0), (shard, index));
    }

    [Fact]
    public void ShardMetaWritesAPickleThatReadsBack()
    {
        using var dir = new Data.TempFolder();
        var meta = new ShardMeta(new Dictionary<int, IReadOnlyList<string>> { [3] = ["a", "b\u00e9"], [70000] = [] });
        string path = Path.Combine(dir.Path, "train_meta.pkl");
        meta.Write(path);
        var back = ShardMeta.Read(path);
        Assert.Equal(new[] { 3, 70000 }, back.Shards.Keys);
        Assert.Equal(new[] { "a", "b\u00e9" }, back.Shards[3]);
        // The writer's bytes, opcode by opcode: PROTO 2, EMPTY_DICT, MARK, BININT1 3, EMPTY_LIST, MARK, BINUNICODE 'a', …
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x80, 2, (byte)'}', (byte)'(', (byte)'K', 3, (byte)']', (byte)'(', (byte)'X', 1, 0, 0, 0, (byte)'a' }, bytes[..14]);
    }

    [Fact]
    public void PickleWriterRoundTripsPlainValues()
    {
        var value = new Dictionary<object, object?>
        {
            ["big"] = BigInteger.Pow(3, 50), ["neg"] = -70000L, ["f"] = 0.1, ["bytes"] = new byte[] { 0, 200 },
            ["tuple"] = new object?[] { null, true }, ["list"] = new List<object?> { "x", 1L },
        };
        using var stream = new MemoryStream();
        PickleWriter.Write(stream, value);
        stream.Position = 0;
        var back = Dict(PickleReader.Read(stream));
        Assert.Equal(BigInteger.Pow(3, 50), back["big"]);
        Assert.Equal(-70000L, back["neg"]);
        Assert.Equal(0.1, back["f"]);
        Assert.Equal(new byte[] { 0, 200 }, back["bytes"]);
        Assert.Equal(new object?[] { null, true }, back["tuple"]);
        Assert.Equal(new object?[] { "x", 1L }, Assert.IsType<List<object?>>(back["list"]));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void YoucookStyleListOfDictsWithNumpyArrays(int protocol)
    {
        var rows = Assert.IsType<List<object?>>(NumpyPickle.Load(ReaderFixtures.Path($"youcook_like_p{protocol}.pkl")));
        Assert.Equal(3, rows.Count);
        for (int r = 0; r < 3; r++)
        {
            var d = Dict(rows[r]);
            Assert.Equal($"vid{r}", d["id"]);
            Assert.Equal($"step {r}: add the caf\u00e9 salt", d["caption"]);
            NumpyArray A(string key) => Assert.IsType<NumpyArray>(d[key]);
            Assert.Equal("<f8", A("start").DType.Descr);
            Assert.Equal(new[] { r, 1.5 + r, 3.0 + r }, A("start").ToArray<double>());
            Assert.Equal(new[] { 1f + r, 2.5f + r, 4f + r }, A("end").ToArray<float>());
            Assert.Equal(new long[] { 2, 3 }, A("tokens").Shape);
            Assert.Equal(Enumerable.Range(0, 6).Select(k => k * 7 + r).ToArray(), A("tokens").ToArray<int>());
            Assert.Equal(new[] { true, false, true, false, true, false }, A("mask").ToArray<bool>());
            Assert.Equal(Enumerable.Range(0, 6).Select(k => (Half)(k / 16.0 - r)).ToArray(), A("feat").ToArray<Half>());
            Assert.Equal(new sbyte[] { -3, -2, -1, 0, 1, 2 }, A("small").ToArray<sbyte>());
            Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5 }, A("bytes").ToArray<byte>());
            Assert.Equal(Enumerable.Range(0, 6).Select(k => (short)(k * -300)).ToArray(), A("shorts").ToArray<short>());
            Assert.Equal(Enumerable.Range(0, 6).Select(k => (long)k << 40).ToArray(), A("longs").ToArray<long>());
            // np.asfortranarray(arange(6).reshape(2, 3)): read back in C order.
            Assert.Equal(new[] { 0.0, 1, 2, 3, 4, 5 }, A("fortran").ToArray<double>());
            Assert.Equal(new[] { "salt", "caf\u00e9" }, A("words").ToStrings());
            Assert.Empty(A("zero_d").Shape);
            Assert.Equal(new[] { r * 10L }, A("zero_d").ToArray<long>());
            Assert.Equal(3L + r, d["n_clips"]);
            Assert.Equal(0.25 * r, d["score"]);
            var scalars = Assert.IsType<List<object?>>(d["scalars"]);
            Assert.Equal("caf\u00e9", scalars[0]);
            Assert.Equal("ab"u8.ToArray(), scalars[1]);
            Assert.Equal(true, scalars[2]);
            Assert.Equal(new BigInteger(ulong.MaxValue), scalars[3]);
            Assert.Equal(new Complex(1, 2), scalars[4]);
            Assert.Equal(0.5, scalars[5]);
            Assert.Equal(-7L, scalars[6]);
            Assert.Equal(new NumpyDType('f', 4), scalars[7]);
            var objects = A("objects");
            Assert.Equal("|O", objects.DType.Descr);
            Assert.Equal(new object?[] { 1L, "x", null }, objects.Objects);
            using var t = A("tokens").ToTensor();
            Assert.Equal(new long[] { 2, 3 }, t.shape);
            Assert.Equal(21 + r, t[1, 0].item<int>());
        }
    }

    [Fact]
    public void HostilePickleRunsNothing()
    {
        const string marker = "/tmp/norton-hostile-pickle-ran";
        File.Delete(marker);
        string path = ReaderFixtures.Path("hostile.pkl");

        var call = Assert.IsType<PickleObject>(PickleReader.ReadFile(path));
        Assert.Equal(new PickleGlobal("os", "system"), call.Callable);
        Assert.Equal(new object?[] { "touch " + marker }, call.Arguments);

        var strict = Assert.Throws<SerializedDataException>(() => PickleReader.ReadFile(path, new PickleReaderOptions(Strict: true)));
        Assert.Contains("os.system", strict.Message);
        var plain = Assert.Throws<SerializedDataException>(() => NumpyPickle.Load(path));
        Assert.Contains("root is a pickled Python object of class os.system", plain.Message);
        Assert.Throws<InvalidDataException>(() => ShardMeta.Read(path));
        Assert.False(File.Exists(marker), "the hostile pickle ran os.system");
    }

    [Fact]
    public void LimitsAreCheckedBeforeAllocating()
    {
        // BINUNICODE8 declaring 2^62 bytes: refused at once, nothing allocated.
        byte[] huge = [0x80, 4, 0x8d, 0, 0, 0, 0, 0, 0, 0, 0x40, (byte)'a', (byte)'.'];
        var e = Assert.Throws<SerializedDataException>(() => PickleReader.Read(new MemoryStream(huge)));
        Assert.Contains("declares 4611686018427387904 bytes, but only 2 are left", e.Message);

        // 50 nested empty lists: fine with the default depth, refused with a depth limit of 10.
        var nested = new List<byte> { 0x80, 2 };
        for (int i = 0; i < 50; i++) nested.Add((byte)']');
        for (int i = 0; i < 49; i++) nested.Add((byte)'a');
        nested.Add((byte)'.');
        Assert.IsType<List<object?>>(PickleReader.Read(new MemoryStream(nested.ToArray())));
        Assert.Contains("nested deeper than 10", Assert.Throws<SerializedDataException>(
            () => PickleReader.Read(new MemoryStream(nested.ToArray()), new PickleReaderOptions(MaxDepth: 10))).Message);

        // Three memo entries with a limit of two.
        byte[] memo = [0x80, 4, (byte)'N', 0x94, (byte)'N', 0x94, (byte)'N', 0x94, (byte)'.'];
        Assert.Contains("more than 2 memo entries", Assert.Throws<SerializedDataException>(
            () => PickleReader.Read(new MemoryStream(memo), new PickleReaderOptions(MaxMemoEntries: 2))).Message);

        // A list that contains itself: EMPTY_LIST, MEMOIZE, DUP... APPEND of memo 0 into itself.
        byte[] cycle = [0x80, 4, (byte)']', 0x94, (byte)'h', 0, (byte)'a', (byte)'.'];
        Assert.Contains("cyclic", Assert.Throws<SerializedDataException>(() => PickleReader.Read(new MemoryStream(cycle))).Message);

        // 100,000 frozensets, each holding the previous one (via the memo, without nesting marks): hashing them must not
        // recurse without bound, and the result is refused as too deep.
        var deep = new List<byte> { 0x80, 4, (byte)'(', 0x91, 0x94, (byte)'0' };
        for (int k = 0; k < 100_000; k++)
        {
            deep.AddRange([(byte)'(', (byte)'j']);
            deep.AddRange(BitConverter.GetBytes(k));
            deep.AddRange([0x91, 0x94, (byte)'0']);
        }
        deep.Add((byte)'j');
        deep.AddRange(BitConverter.GetBytes(100_000));
        deep.Add((byte)'.');
        Assert.Contains("nested deeper than 1000", Assert.Throws<SerializedDataException>(() => PickleReader.Read(new MemoryStream(deep.ToArray()))).Message);

        // A persistent id outside a torch.save file, an unknown opcode, and an empty stream.
        Assert.Contains("persistent id", Assert.Throws<SerializedDataException>(() => PickleReader.Read(new MemoryStream([(byte)'N', (byte)'Q', (byte)'.']))).Message);
        Assert.Contains("unknown pickle opcode 0xff", Assert.Throws<SerializedDataException>(() => PickleReader.Read(new MemoryStream([0xff]))).Message);
        Assert.Contains("ends early", Assert.Throws<SerializedDataException>(() => PickleReader.Read(new MemoryStream([]))).Message);
    }
}
