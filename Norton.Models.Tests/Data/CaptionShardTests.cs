using Norton.Models.Data;
using Xunit;

namespace Norton.Models.Tests.Data;

public class CaptionShardTests
{
    [Fact]
    public void ReadsTimesAndTokensWithoutPadding()
    {
        // Two videos: video 0 has captions (0-1.5 s: ids 101, 7) and (1.5-3 s: id 9); video 1 has (4-6 s: ids 5, 6, 7).
        // caps_ids rows are 4 wide, -1 padded (32 in the original).
        using var dir = new TempFolder();
        string prefix = Path.Combine(dir.Path, "caps.val_0");
        var starts = NpyBytes.File("<i8", "(3,)", NpyBytes.Int64(0, 2, 3));
        dir.Write("caps.val_0.startends_starts.npy", starts);
        dir.Write("caps.val_0.startends_data.npy", NpyBytes.File("<f4", "(3, 2)", NpyBytes.Float32(0, 1.5f, 1.5f, 3, 4, 6)));
        dir.Write("caps.val_0.caps_ids_starts.npy", starts);
        dir.Write("caps.val_0.caps_ids_data.npy", NpyBytes.File("<i4", "(3, 4)",
            NpyBytes.Int32(101, 7, -1, -1, 9, -1, -1, -1, 5, 6, 7, -1)));

        using var shard = CaptionShard.Open(prefix);
        Assert.Equal(2, shard.Count);
        TokenizedCaptions v0 = shard.Read(0);
        Assert.Equal(new float[] { 0, 1.5f }, v0.Start);
        Assert.Equal(new float[] { 1.5f, 3 }, v0.End);
        Assert.Equal(new[] { new[] { 101, 7 }, new[] { 9 } }, v0.Tokens);
        Assert.Equal(new[] { new[] { 5, 6, 7 } }, shard.Read(1).Tokens);
        Assert.Equal(Path.Combine(dir.Path, "caps.val_0"), ShardMeta.CaptionShardPrefix(Path.Combine(dir.Path, "caps."), "val", 0));
    }

    [Fact]
    public void RejectsMismatchedParts()
    {
        using var dir = new TempFolder();
        string prefix = Path.Combine(dir.Path, "c");
        dir.Write("c.startends_starts.npy", NpyBytes.File("<i8", "(2,)", NpyBytes.Int64(0, 2)));
        dir.Write("c.startends_data.npy", NpyBytes.File("<f4", "(2, 2)", NpyBytes.Float32(0, 1, 1, 2)));
        dir.Write("c.caps_ids_starts.npy", NpyBytes.File("<i8", "(2,)", NpyBytes.Int64(0, 1)));
        dir.Write("c.caps_ids_data.npy", NpyBytes.File("<i4", "(1, 2)", NpyBytes.Int32(1, 2)));
        Assert.Contains("disagree", Assert.Throws<InvalidDataException>(() => CaptionShard.Open(prefix)).Message);

        dir.Write("c.caps_ids_data.npy", NpyBytes.File("<f4", "(1, 2)", NpyBytes.Float32(1, 2)));
        Assert.Contains("int32", Assert.Throws<InvalidDataException>(() => CaptionShard.Open(prefix)).Message);
    }
}
