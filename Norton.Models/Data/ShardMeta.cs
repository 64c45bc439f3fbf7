using Norton.Core.Validation;
namespace Norton.Models.Data;

/// <summary>
/// Which shard holds which video (docs/original-model.md §4): the original's <c>&lt;vfeat_dir&gt;/{train,val}_meta.pkl</c>, a
/// pickled dict <c>shard id → [video ids]</c> where a video's position in its list is its index in the shard.
/// </summary>
public sealed class ShardMeta
{
    private readonly Dictionary<string, (int Shard, int Index)> _location;

    /// <summary>Builds the index from shard lists; a video listed twice resolves to its last listing, as in the original.</summary>
    /// <exception cref="ArgumentException">A null list or id.</exception>
    public ShardMeta(IReadOnlyDictionary<int, IReadOnlyList<string>> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        Shards = shards;
        _location = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        foreach (var (shard, ids) in shards)
        {
            if (ids is null)
                throw Guard.Argument(nameof(shards), "give every shard an id list", $"shard {shard} has none");
            for (int i = 0; i < ids.Count; i++)
                _location[ids[i] ?? throw Guard.Argument(nameof(shards), "hold no null id", $"shard {shard} holds one at position {i}")] = (shard, i);
        }
    }

    /// <summary>The video ids of every shard, in shard order.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<string>> Shards { get; }

    /// <summary>Number of videos indexed.</summary>
    public int VideoCount => _location.Count;

    /// <summary>Reads a <c>*_meta.pkl</c> file.</summary>
    /// <exception cref="InvalidDataException">Not a plain-data pickle of dict int → list of str; the message names the file.</exception>
    public static ShardMeta Read(string path)
    {
        if (PlainPickle.Load(path) is not Dictionary<object, object?> top)
            throw new InvalidDataException($"{path}: expected a pickled dict of shard id -> [video ids].");
        var shards = new SortedDictionary<int, IReadOnlyList<string>>();
        foreach (var (key, value) in top)
        {
            if (key is not long id || id < int.MinValue || id > int.MaxValue)
                throw new InvalidDataException($"{path}: expected integer shard ids, found '{key}' ({key.GetType().Name}).");
            if (value is not IList<object?> list || list.Any(x => x is not string))
                throw new InvalidDataException($"{path}: shard {id}: expected a list of video id strings.");
            shards[(int)id] = list.Cast<string>().ToArray();
        }
        return new ShardMeta(shards);
    }

    /// <summary>Writes the index as the original's pickle (<c>{shard id: [video ids]}</c>, protocol 2), through a temporary file.</summary>
    /// <param name="path">The <c>*_meta.pkl</c> file to write.</param>
    public void Write(string path) =>
        Serialization.PickleWriter.WriteFile(path, Shards.ToDictionary(kv => (long)kv.Key, kv => (object?)kv.Value.ToList()));

    /// <summary>Finds a video's shard and its index inside the shard.</summary>
    public bool TryLocate(string videoId, out int shard, out int index)
    {
        ArgumentNullException.ThrowIfNull(videoId);
        bool found = _location.TryGetValue(videoId, out var at);
        (shard, index) = at;
        return found;
    }

    /// <summary>Path prefix of video shard <paramref name="shard"/>: <c>&lt;vfeatDir&gt;/&lt;split&gt;_&lt;shard&gt;</c>.</summary>
    /// <remarks>The original's "test" split reads the "val" shards.</remarks>
    public static string VideoShardPrefix(string vfeatDirectory, string split, int shard) =>
        Path.Combine(vfeatDirectory, $"{split}_{shard}");

    /// <summary>
    /// Path prefix of caption shard <paramref name="shard"/>: <c>&lt;tfeatPrefix&gt;&lt;split&gt;_&lt;shard&gt;</c> (the
    /// prefix is a file-name prefix such as <c>…/sentencified_htm_1200k.bert-base-uncased.</c>, not a folder).
    /// </summary>
    public static string CaptionShardPrefix(string tfeatPrefix, string split, int shard) => $"{tfeatPrefix}{split}_{shard}";
}
