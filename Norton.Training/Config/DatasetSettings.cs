namespace Norton.Training.Config;

/// <summary>
/// The config's <c>dataset:</c> block and the retrieval keys, as the data side reads them. Paths are absolute
/// (resolved against the config file's folder). The paper's values are the defaults.
/// </summary>
public sealed record DatasetSettings
{
    /// <summary><c>train_path</c>: the list of training video ids.</summary>
    public string? TrainPath { get; init; }

    /// <summary><c>val_path</c>: the list of validation video ids.</summary>
    public string? ValPath { get; init; }

    /// <summary><c>vfeat_dir</c>: the sharded S3D features.</summary>
    public string? VideoFeatureDirectory { get; init; }

    /// <summary><c>tfeat_dir</c>: the prefix of the tokenised caption shards.</summary>
    public string? TextFeaturePrefix { get; init; }

    /// <summary><c>num_video_per_batch</c>: 64.</summary>
    public int NumVideoPerBatch { get; init; } = 64;

    /// <summary><c>clip_per_video</c>: 16.</summary>
    public int ClipPerVideo { get; init; } = 16;

    /// <summary><c>max_video_len</c>: 16 seconds per clip.</summary>
    public int MaxVideoLen { get; init; } = 16;

    /// <summary><c>max_len</c>: 48 (text tokens + video frames).</summary>
    public int MaxLen { get; init; } = 48;

    /// <summary><c>sampled_min_len</c>: 8 text tokens.</summary>
    public int SampledMinLen { get; init; } = 8;

    /// <summary><c>sampled_max_len</c>: 32 text tokens.</summary>
    public int SampledMaxLen { get; init; } = 32;

    /// <summary><c>sampled_video_min_len</c>: 3 seconds.</summary>
    public int SampledVideoMinLen { get; init; } = 3;

    /// <summary><c>sampled_video_max_len</c>: 16 seconds.</summary>
    public int SampledVideoMaxLen { get; init; } = 16;

    /// <summary><c>subsampling</c>: 1.</summary>
    public int Subsampling { get; init; } = 1;

    /// <summary><c>lazy_vfeat_mask</c>: true.</summary>
    public bool LazyVideoFeatureMask { get; init; } = true;

    /// <summary><c>centroids</c>: IVF centroids of the retrieval index, 512.</summary>
    public int Centroids { get; init; } = 512;

    /// <summary><c>examples_per_cent_to_train</c>: 48.</summary>
    public int ExamplesPerCentroidToTrain { get; init; } = 48;

    /// <summary><c>num_cands</c>: retrieval candidates per query video, 192.</summary>
    public int NumCandidates { get; init; } = 192;
}
