using Norton.Models.Data;

namespace Norton.Training.Corpus;

/// <summary>
/// A pretraining corpus folder in the original's layout (<see cref="CorpusLayout"/>; docs/training-data.md), opened for
/// random access: features and captions of any video by id, read from memory-mapped shards into plain arrays.
/// </summary>
/// <remarks>
/// Opening reads the meta pickle, every shard's headers and offsets, and checks them: missing or truncated shards,
/// meta entries no shard holds, videos without captions or without a second of features all fail here. Caption times
/// and token ids are checked when a video is read. Reading from several threads at once is safe.
/// </remarks>
/// <example><code>
/// using var corpus = PretrainingCorpus.Open("corpus");
/// CorpusVideo video = corpus.Read(corpus.VideoIds[0]);
/// </code></example>
public sealed class PretrainingCorpus : IDisposable
{
    private static readonly NpyElementType[] FeatureTypes = { NpyElementType.Float16, NpyElementType.Float32 };
    private readonly Dictionary<string, (int Shard, int Index)> _location;
    private readonly Shard[] _shards;

    private sealed record Shard(ShardedTensor Videos, ShardedTensor Times, ShardedTensor Tokens);

    private PretrainingCorpus(string folder, string split, int vocabularySize, string[] ids, Dictionary<string, (int, int)> location, Shard[] shards)
    {
        Folder = folder;
        Split = split;
        VocabularySize = vocabularySize;
        VideoIds = ids;
        _location = location;
        _shards = shards;
        FeatureDim = (int)shards[0].Videos.RowWidth;
    }

    /// <summary>The corpus folder.</summary>
    public string Folder { get; }

    /// <summary>The split opened ("train" or "val").</summary>
    public string Split { get; }

    /// <summary>Token ids must lie in [0, this).</summary>
    public int VocabularySize { get; }

    /// <summary>Every video, in meta order (shard by shard, list order within a shard).</summary>
    public IReadOnlyList<string> VideoIds { get; }

    /// <summary>Feature width (512 for S3D).</summary>
    public int FeatureDim { get; }

    /// <summary>Opens <paramref name="folder"/>'s <paramref name="split"/>.</summary>
    /// <param name="folder">The corpus folder (the original's <c>vfeat_dir</c>).</param>
    /// <param name="split">"train" or "val".</param>
    /// <param name="vocabularySize">Token ids must lie in [0, this) (bert-base-uncased: 30,522).</param>
    /// <exception cref="FileNotFoundException">The meta file or a shard file is missing; the message names it.</exception>
    /// <exception cref="InvalidDataException">
    /// A malformed meta file, a truncated or inconsistent shard, a meta entry past the end of its shard, a video with
    /// no captions or no seconds of features, or shards of different feature widths; the message names the file and
    /// the video.
    /// </exception>
    public static PretrainingCorpus Open(string folder, string split = "train", int vocabularySize = 30522)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(split);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        string metaPath = CorpusLayout.MetaPath(folder, split);
        if (!File.Exists(metaPath))
            throw new FileNotFoundException($"{metaPath}: no meta file; a corpus folder holds {split}_meta.pkl and its shards.", metaPath);
        var meta = ShardMeta.Read(metaPath);
        if (meta.VideoCount == 0)
            throw new InvalidDataException($"{metaPath}: the meta file lists no videos.");
        var shards = new Dictionary<int, Shard>();
        var location = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        var ids = new List<string>();
        try
        {
            foreach (var (shardId, list) in meta.Shards.OrderBy(kv => kv.Key))
            {
                var shard = OpenShard(folder, split, shardId);
                shards[shardId] = shard;
                if (shard.Videos.RowWidth != shards.Values.First().Videos.RowWidth)
                    throw new InvalidDataException(
                        $"{shard.Videos.DataPath}: features of width {shard.Videos.RowWidth}, but other shards have {shards.Values.First().Videos.RowWidth}.");
                for (int i = 0; i < list.Count; i++)
                {
                    meta.TryLocate(list[i], out int s, out int index);
                    if (s != shardId || index != i) continue; // listed again later: the last listing wins, as in the original
                    CheckVideo(metaPath, list[i], shard, i);
                    location[list[i]] = (shardId, i);
                    ids.Add(list[i]);
                }
            }
            var dense = new Shard[shards.Keys.Max() + 1];
            foreach (var (k, v) in shards) dense[k] = v;
            return new PretrainingCorpus(folder, split, vocabularySize, ids.ToArray(), location, dense);
        }
        catch
        {
            foreach (var shard in shards.Values) Dispose(shard);
            throw;
        }
    }

    /// <summary>Whether the corpus holds <paramref name="videoId"/>.</summary>
    public bool Contains(string videoId) => _location.ContainsKey(videoId);

    /// <summary>Seconds of features of <paramref name="videoId"/>.</summary>
    /// <exception cref="KeyNotFoundException">An unknown id.</exception>
    public int Seconds(string videoId)
    {
        var (shard, index) = Locate(videoId);
        return (int)_shards[shard].Videos.Length(index);
    }

    /// <summary>Reads one video's features (widened to float32) and captions (the −1 padding removed).</summary>
    /// <exception cref="KeyNotFoundException">An unknown id.</exception>
    /// <exception cref="InvalidDataException">Caption times that are NaN, infinite or negative, or token ids outside
    /// [0, <see cref="VocabularySize"/>); the message names the file and the video.</exception>
    public CorpusVideo Read(string videoId)
    {
        var (s, index) = Locate(videoId);
        var shard = _shards[s];
        float[] features = shard.Videos.ReadSingles(index);
        float[] times = shard.Times.ReadSingles(index);
        int[] flat = shard.Tokens.ReadInt32(index);
        int n = times.Length / 2, width = (int)shard.Tokens.RowWidth;
        var start = new double[n];
        var end = new double[n];
        var tokens = new int[n][];
        for (int c = 0; c < n; c++)
        {
            start[c] = times[2 * c];
            end[c] = times[2 * c + 1];
            if (!double.IsFinite(start[c]) || !double.IsFinite(end[c]) || start[c] < 0 || end[c] < 0)
                throw new InvalidDataException(
                    $"{shard.Times.DataPath}: video '{videoId}', caption {c}: times must be finite and non-negative, found [{start[c]}, {end[c]}].");
            var row = flat.AsSpan(c * width, width);
            int count = 0;
            foreach (int id in row)
            {
                if (id == -1) continue;
                if (id < 0 || id >= VocabularySize)
                    throw new InvalidDataException(
                        $"{shard.Tokens.DataPath}: video '{videoId}', caption {c}: token id {id} is outside the vocabulary [0, {VocabularySize}).");
                count++;
            }
            var ids = new int[count];
            count = 0;
            foreach (int id in row)
                if (id != -1) ids[count++] = id;
            tokens[c] = ids;
        }
        return new CorpusVideo(videoId, features, (int)shard.Videos.RowWidth, start, end, tokens);
    }

    /// <summary>Unmaps every shard.</summary>
    public void Dispose()
    {
        foreach (var shard in _shards)
            if (shard is not null) Dispose(shard);
    }

    private (int Shard, int Index) Locate(string videoId)
    {
        ArgumentNullException.ThrowIfNull(videoId);
        return _location.TryGetValue(videoId, out var at)
            ? at
            : throw new KeyNotFoundException($"{Folder}: the {Split} split has no video '{videoId}'.");
    }

    private static Shard OpenShard(string folder, string split, int shard)
    {
        string captions = CorpusLayout.CaptionShardPrefix(folder, split, shard);
        ShardedTensor? videos = null, times = null;
        try
        {
            videos = OpenRows(CorpusLayout.VideoShardPrefix(folder, split, shard), FeatureTypes, null);
            times = OpenRows(captions + ".startends", new[] { NpyElementType.Float32 }, 2);
            var tokens = OpenRows(captions + ".caps_ids", new[] { NpyElementType.Int32 }, null);
            return new Shard(videos, times, tokens);
        }
        catch
        {
            videos?.Dispose();
            times?.Dispose();
            throw;
        }
    }

    // A shard of 2-D rows: one of the element types, and the row width when given.
    private static ShardedTensor OpenRows(string prefix, NpyElementType[] types, int? rowWidth)
    {
        foreach (string path in new[] { prefix + "_starts.npy", prefix + "_data.npy" })
            if (!File.Exists(path))
                throw new FileNotFoundException($"{path}: missing shard file.", path);
        var shard = ShardedTensor.Open(prefix);
        if (types.Contains(shard.ElementType) && shard.ItemShape.Count == 1 && (rowWidth is not int w || shard.ItemShape[0] == w))
            return shard;
        string found = $"({string.Join(", ", new[] { shard.RowCount }.Concat(shard.ItemShape))}) {shard.ElementType}";
        shard.Dispose();
        throw new InvalidDataException(
            $"{prefix}_data.npy: expected 2-D rows of {(rowWidth?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "n")} {string.Join(" or ", types)}, found {found}.");
    }

    private static void CheckVideo(string metaPath, string id, Shard shard, int index)
    {
        foreach (var part in new[] { shard.Videos, shard.Times, shard.Tokens })
            if (index >= part.Count)
                throw new InvalidDataException(
                    $"{metaPath}: video '{id}' is item {index} of its shard, but {part.DataPath} holds only {part.Count} videos.");
        if (shard.Videos.Length(index) == 0)
            throw new InvalidDataException($"{shard.Videos.DataPath}: video '{id}' has no seconds of features.");
        if (shard.Times.Length(index) == 0)
            throw new InvalidDataException($"{shard.Times.DataPath}: video '{id}' has no captions.");
        if (shard.Times.Length(index) != shard.Tokens.Length(index))
            throw new InvalidDataException(
                $"{shard.Tokens.DataPath}: video '{id}' has {shard.Tokens.Length(index)} caption token rows but {shard.Times.Length(index)} caption times.");
    }

    private static void Dispose(Shard shard)
    {
        shard.Videos.Dispose();
        shard.Times.Dispose();
        shard.Tokens.Dispose();
    }
}
