using Norton.Models.Data;

namespace Norton.Training.Corpus;

/// <summary>
/// File names of a corpus folder, in the original's layout (docs/training-data.md): <c>&lt;split&gt;_meta.pkl</c>, video
/// shards <c>&lt;split&gt;_&lt;k&gt;_{starts,data}.npy</c> and caption shards
/// <c>&lt;CaptionPrefix&gt;&lt;split&gt;_&lt;k&gt;.{startends,caps_ids}_{starts,data}.npy</c>, i.e. <c>vfeat_dir</c> is the
/// folder and <c>tfeat_dir</c> is <c>&lt;folder&gt;/&lt;CaptionPrefix&gt;</c>.
/// </summary>
public static class CorpusLayout
{
    /// <summary>The caption shards' file-name prefix (the original's bert-base-uncased caption shards).</summary>
    public const string CaptionPrefix = "captions.bert-base-uncased.";

    /// <summary>Videos per shard in the original (4096).</summary>
    public const int DefaultShardSize = 4096;

    /// <summary><c>&lt;folder&gt;/&lt;split&gt;_meta.pkl</c>.</summary>
    public static string MetaPath(string folder, string split) => Path.Combine(folder, split + "_meta.pkl");

    /// <summary>Video shard prefix, <c>&lt;folder&gt;/&lt;split&gt;_&lt;shard&gt;</c>.</summary>
    public static string VideoShardPrefix(string folder, string split, int shard) => ShardMeta.VideoShardPrefix(folder, split, shard);

    /// <summary>Caption shard prefix, <c>&lt;folder&gt;/captions.bert-base-uncased.&lt;split&gt;_&lt;shard&gt;</c>.</summary>
    public static string CaptionShardPrefix(string folder, string split, int shard) =>
        ShardMeta.CaptionShardPrefix(Path.Combine(folder, CaptionPrefix), split, shard);
}
