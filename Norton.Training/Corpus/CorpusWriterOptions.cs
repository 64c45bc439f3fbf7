using Norton.Core.Validation;
namespace Norton.Training.Corpus;

/// <summary>How <see cref="CorpusWriter"/> lays a corpus out.</summary>
public sealed record CorpusWriterOptions
{
    /// <summary>The split written: "train" or "val" (file names <c>&lt;split&gt;_meta.pkl</c>, <c>&lt;split&gt;_&lt;k&gt;…</c>).</summary>
    public string Split { get; init; } = "train";

    /// <summary>Videos per shard (4096, the original's).</summary>
    public int ShardSize { get; init; } = CorpusLayout.DefaultShardSize;

    /// <summary>Store features as float16 (as the original's S3D shards) rather than float32.</summary>
    public bool Float16Features { get; init; } = true;

    /// <summary>Token ids must lie in [0, this) (bert-base-uncased: 30,522).</summary>
    public int VocabularySize { get; init; } = 30522;

    /// <summary>Throws unless the settings make sense.</summary>
    /// <exception cref="ArgumentException">An empty split name or a non-positive size.</exception>
    public CorpusWriterOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(Split) || Split.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"'{Split}' is not a usable split name.", nameof(Split));
        if (ShardSize < 1) throw Guard.OutOfRange(nameof(ShardSize), ShardSize, "be > 0");
        if (VocabularySize < 1) throw Guard.OutOfRange(nameof(VocabularySize), VocabularySize, "be > 0");
        return this;
    }
}
