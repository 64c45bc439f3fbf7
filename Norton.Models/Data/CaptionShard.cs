using static TorchSharp.torch;

namespace Norton.Models.Data;

/// <summary>
/// A pre-tokenised caption shard (docs/original-model.md §4): two <see cref="ShardedTensor"/>s,
/// <c>&lt;prefix&gt;.startends</c> (float32, (Σ captions, 2)) and <c>&lt;prefix&gt;.caps_ids</c> (int32, (Σ captions, 32),
/// −1 = padding). Item i is the same video as item i of the matching video shard.
/// </summary>
public sealed class CaptionShard : IDisposable
{
    private readonly ShardedTensor _startEnds;
    private readonly ShardedTensor _tokenIds;

    private CaptionShard(ShardedTensor startEnds, ShardedTensor tokenIds)
    {
        _startEnds = startEnds;
        _tokenIds = tokenIds;
    }

    /// <summary>Number of videos.</summary>
    public int Count => _startEnds.Count;

    /// <summary>Opens <c>&lt;prefix&gt;.startends_*.npy</c> and <c>&lt;prefix&gt;.caps_ids_*.npy</c>.</summary>
    /// <param name="prefix">E.g. <see cref="ShardMeta.CaptionShardPrefix"/>.</param>
    /// <exception cref="InvalidDataException">
    /// Wrong dtypes or row shapes, different item counts, or an item whose two parts differ in length.
    /// </exception>
    public static CaptionShard Open(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var startEnds = ShardedTensor.Open(prefix + ".startends");
        try
        {
            var tokenIds = ShardedTensor.Open(prefix + ".caps_ids");
            try
            {
                Check(startEnds, NpyElementType.Float32, "float32 (n, 2) start/end times");
                Check(tokenIds, NpyElementType.Int32, "int32 (n, L) token ids");
                if (startEnds.ItemShape[0] != 2)
                    throw new InvalidDataException($"{startEnds.DataPath}: expected rows of 2 (start, end), found {startEnds.ItemShape[0]}.");
                if (startEnds.Count != tokenIds.Count || !startEnds.Lengths().SequenceEqual(tokenIds.Lengths()))
                    throw new InvalidDataException(
                        $"{prefix}: .startends and .caps_ids disagree: {startEnds.Count} vs {tokenIds.Count} videos, or different caption counts per video.");
                return new CaptionShard(startEnds, tokenIds);
            }
            catch
            {
                tokenIds.Dispose();
                throw;
            }
        }
        catch
        {
            startEnds.Dispose();
            throw;
        }
    }

    /// <summary>The captions of video <paramref name="index"/> of the shard.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Index outside [0, Count).</exception>
    public TokenizedCaptions Read(int index)
    {
        using var times = _startEnds.Read(index);
        using var ids = _tokenIds.Read(index);
        float[] t = times.data<float>().ToArray();
        int[] flat = ids.data<int>().ToArray();
        int n = (int)times.shape[0], width = (int)ids.shape[1];
        var start = new float[n];
        var end = new float[n];
        var tokens = new int[n][];
        for (int c = 0; c < n; c++)
        {
            start[c] = t[2 * c];
            end[c] = t[2 * c + 1];
            // The original keeps clip[clip != -1]: every −1 goes, wherever it is.
            tokens[c] = flat.AsSpan(c * width, width).ToArray().Where(x => x != -1).ToArray();
        }
        return new TokenizedCaptions(start, end, tokens);
    }

    /// <summary>Unmaps both files.</summary>
    public void Dispose()
    {
        _startEnds.Dispose();
        _tokenIds.Dispose();
    }

    private static void Check(ShardedTensor shard, NpyElementType type, string expected)
    {
        if (shard.ElementType != type || shard.ItemShape.Count != 1)
            throw new InvalidDataException(
                $"{shard.DataPath}: expected {expected}, found rows of ({string.Join(", ", shard.ItemShape)}) {shard.ElementType}.");
    }
}
