using Norton.Models.Data;
using Xunit;

namespace Norton.Models.Tests.Data;

public class PickleReaderTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", name);

    [Fact]
    public void ReadsAHandAssembledProtocolTwoMeta()
    {
        // {0: ['vidA', 'vidB'], 1: ['vidC']} as pickle protocol 2, opcode by opcode:
        // PROTO 2, EMPTY_DICT, BINPUT 0, MARK, BININT1 0, EMPTY_LIST, BINPUT 1, MARK, BINUNICODE 'vidA', BINPUT 2,
        // BINUNICODE 'vidB', BINPUT 3, APPENDS, BININT1 1, EMPTY_LIST, BINPUT 4, BINUNICODE 'vidC', BINPUT 5, APPEND,
        // SETITEMS, STOP.
        var bytes = new List<byte> { 0x80, 2, (byte)'}', (byte)'q', 0, (byte)'(', (byte)'K', 0, (byte)']', (byte)'q', 1, (byte)'(' };
        void Unicode(string s, byte memo)
        {
            bytes.Add((byte)'X');
            bytes.AddRange(BitConverter.GetBytes(s.Length));
            bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(s));
            bytes.AddRange(new[] { (byte)'q', memo });
        }
        Unicode("vidA", 2);
        Unicode("vidB", 3);
        bytes.AddRange(new[] { (byte)'e', (byte)'K', (byte)1, (byte)']', (byte)'q', (byte)4 });
        Unicode("vidC", 5);
        bytes.AddRange(new[] { (byte)'a', (byte)'u', (byte)'.' });
        using var dir = new TempFolder();

        ShardMeta meta = ShardMeta.Read(dir.Write("val_meta.pkl", bytes.ToArray()));
        Assert.Equal(new[] { 0, 1 }, meta.Shards.Keys);
        Assert.Equal(new[] { "vidA", "vidB" }, meta.Shards[0]);
        Assert.True(meta.TryLocate("vidB", out int shard, out int index));
        Assert.Equal((0, 1), (shard, index));
        Assert.True(meta.TryLocate("vidC", out shard, out index));
        Assert.Equal((1, 0), (shard, index));
        Assert.False(meta.TryLocate("vidD", out _, out _));
        Assert.Equal(3, meta.VideoCount);
    }

    [Fact]
    public void ReadsMetaPickledByPython()
    {
        // make_fixtures.py: {0: ["vidA", "vidB"], 1: ["vidC"]}, pickle.HIGHEST_PROTOCOL (5 on Python 3.11).
        ShardMeta meta = ShardMeta.Read(Fixture("meta.pkl"));
        Assert.Equal(new[] { "vidC" }, meta.Shards[1]);
        Assert.True(meta.TryLocate("vidA", out int shard, out int index));
        Assert.Equal((0, 0), (shard, index));
        Assert.Equal(Path.Combine("feat", "val_1"), ShardMeta.VideoShardPrefix("feat", "val", 1));
    }

    [Fact]
    public void ReadsCaptionPickleOfJsonStrings()
    {
        // make_fixtures.py: vidA has two sentences; vidB's text is None, read as "".
        var captions = SentencifiedCaptions.Read(Fixture("captions.pkl"));
        Assert.Equal(new[] { 0.0, 1.5 }, captions["vidA"].Start);
        Assert.Equal(new[] { 1.5, 3.25 }, captions["vidA"].End);
        Assert.Equal(new[] { "hello there", "second one" }, captions["vidA"].Text);
        Assert.Equal(new[] { "" }, captions["vidB"].Text);
        Assert.Equal(new[] { 2.0 }, captions["vidB"].Start);
    }

    [Fact]
    public void RefusesPickledObjectsAndGarbage()
    {
        // make_fixtures.py pickles {"vidA": Clip()}, an instance of a class: it must not be accepted.
        string message = Assert.Throws<InvalidDataException>(() => SentencifiedCaptions.ReadPickle(Fixture("object.pkl"))).Message;
        Assert.Contains("object.pkl", message);
        Assert.Contains("root['vidA'] is a pickled Python object of class __main__.Clip", message);

        using var dir = new TempFolder();
        string garbage = dir.Write("g.pkl", new byte[] { 0x80, 4, 0x95, 1 });
        Assert.Contains("g.pkl", Assert.Throws<InvalidDataException>(() => ShardMeta.Read(garbage)).Message);
        Assert.Contains("integer shard ids", Assert.Throws<InvalidDataException>(() => ShardMeta.Read(Fixture("captions.pkl"))).Message);
    }
}
