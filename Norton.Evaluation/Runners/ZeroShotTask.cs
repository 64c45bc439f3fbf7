using Norton.Evaluation.Config;
using Norton.Evaluation.Data;
using Norton.Evaluation.Encoders;
using Norton.Models.Text;

namespace Norton.Evaluation.Runners;

/// <summary>
/// One of the original's zero-shot test configs, ready to run: the data files the config names (relative to a data
/// folder), the windows and token sequences its processors build, the model forward, the scores and the metric.
/// Create with <see cref="ZeroShotTasks.Create(string, string)"/>.
/// </summary>
public abstract class ZeroShotTask
{
    /// <summary>Binds a config to a data folder.</summary>
    protected ZeroShotTask(EvaluationConfig config, string dataDirectory)
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        DataDirectory = dataDirectory;
        MaxVideoLength = config.RequireInt("max_video_len");
        MaxLength = config.RequireInt("max_len");
        Captions = new CaptionSequenceBuilder(BertWordPieceTokenizer.BertBaseUncased, MaxVideoLength, MaxLength);
    }

    /// <summary>The config.</summary>
    public EvaluationConfig Config { get; }

    /// <summary>The folder the config's paths are relative to.</summary>
    public string DataDirectory { get; }

    /// <summary>What this task is, e.g. <c>MSR-VTT retrieval</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The config's <c>max_video_len</c> (Tv).</summary>
    public int MaxVideoLength { get; }

    /// <summary>The config's <c>max_len</c>.</summary>
    public int MaxLength { get; }

    /// <summary>Lays out captions as the aligner does (Lc = max_len − max_video_len).</summary>
    protected CaptionSequenceBuilder Captions { get; }

    /// <summary>Runs the evaluation: reads the data, encodes it in eval mode without gradients, scores it.</summary>
    /// <param name="encoder">The model (<see cref="VideoTextModelEncoder"/>) or any encoder.</param>
    /// <param name="progress">Receives progress reports; may be null.</param>
    /// <exception cref="FileNotFoundException">A data or feature file is missing.</exception>
    /// <exception cref="InvalidDataException">A malformed file, an annotation naming an unknown video, or features of
    /// the wrong width; the message names the file.</exception>
    public abstract EvaluationResult Run(IZeroShotEncoder encoder, IProgress<EvaluationProgress>? progress = null);

    /// <summary>A <c>dataset</c> path of the config, resolved against <see cref="DataDirectory"/>.</summary>
    protected string DataPath(string key) => Path.Combine(DataDirectory, Config.Require(key));

    /// <summary>The config's feature folder, requiring the given width.</summary>
    protected FeatureFolder Features(int? width) => new(DataPath("vfeat_dir"), width);

    /// <summary>Builds a result with this config's name.</summary>
    protected EvaluationResult Result(int items, params MetricValue[] metrics) => new(Config.Name, Name, items, metrics);
}
