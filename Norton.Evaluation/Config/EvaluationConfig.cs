using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Norton.Evaluation.Config;

/// <summary>
/// One of the original's test configs (<c>test_*_zs.yaml</c>), read unchanged: the <c>dataset</c> section (file
/// paths relative to the data folder, processor names, lengths), <c>metric</c>, <c>predictor</c>,
/// <c>model.model_cls</c> and <c>fairseq.dataset.batch_size</c>. Other keys are ignored.
/// </summary>
public sealed class EvaluationConfig
{
    private EvaluationConfig(string path, IReadOnlyDictionary<string, string> dataset, string? metric, string? predictor,
        string? modelClass, int batchSize)
    {
        Path = path;
        Dataset = dataset;
        Metric = metric;
        Predictor = predictor;
        ModelClass = modelClass;
        BatchSize = batchSize;
    }

    /// <summary>The file the config came from.</summary>
    public string Path { get; }

    /// <summary>The file name without extension, e.g. <c>test_vtt_zs</c>.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>The scalar entries of the <c>dataset</c> section.</summary>
    public IReadOnlyDictionary<string, string> Dataset { get; }

    /// <summary>The <c>metric</c> key (null for HTM-Align, which has none).</summary>
    public string? Metric { get; }

    /// <summary>The <c>predictor</c> key.</summary>
    public string? Predictor { get; }

    /// <summary><c>model.model_cls</c>.</summary>
    public string? ModelClass { get; }

    /// <summary><c>fairseq.dataset.batch_size</c> (256 when absent).</summary>
    public int BatchSize { get; }

    /// <summary>The <c>dataset.meta_processor</c> key (null for HTM-Align).</summary>
    public string? MetaProcessor => Dataset.GetValueOrDefault("meta_processor");

    /// <summary>Reads a config file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not YAML, or no <c>dataset</c> mapping; the message names the file.</exception>
    public static EvaluationConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"config file {path} not found.", path);
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{path}: not valid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new InvalidDataException($"{path}: expected a YAML mapping at the top.");
        if (Child(root, "dataset") is not YamlMappingNode datasetNode)
            throw new InvalidDataException($"{path}: no 'dataset:' section; expected one of the original's test_*.yaml configs.");
        var dataset = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in datasetNode.Children)
            if (key is YamlScalarNode k && value is YamlScalarNode v && k.Value is not null && v.Value is not null)
                dataset[k.Value] = v.Value;
        string? batch = Scalar(Child(Child(root, "fairseq"), "dataset"), "batch_size");
        int batchSize = 256;
        if (batch is not null && (!int.TryParse(batch, NumberStyles.Integer, CultureInfo.InvariantCulture, out batchSize) || batchSize < 1))
            throw new InvalidDataException($"{path}: fairseq.dataset.batch_size must be a positive integer, but got '{batch}'.");
        return new EvaluationConfig(path, dataset, Scalar(root, "metric"), Scalar(root, "predictor"),
            Scalar(Child(root, "model"), "model_cls"), batchSize);
    }

    /// <summary>A copy with some <c>dataset</c> entries replaced or added (e.g. data paths laid out differently).</summary>
    public EvaluationConfig WithDataset(IReadOnlyDictionary<string, string> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var dataset = new Dictionary<string, string>(Dataset, StringComparer.Ordinal);
        foreach (var (key, value) in overrides) dataset[key] = value;
        return new EvaluationConfig(Path, dataset, Metric, Predictor, ModelClass, BatchSize);
    }

    /// <summary>A required <c>dataset</c> entry.</summary>
    /// <exception cref="InvalidDataException">It is missing; the message names the file and key.</exception>
    public string Require(string key) =>
        Dataset.TryGetValue(key, out string? value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new InvalidDataException($"{Path}: dataset.{key} is missing; this task needs it.");

    /// <summary>A required integer <c>dataset</c> entry.</summary>
    /// <exception cref="InvalidDataException">Missing or not a positive integer.</exception>
    public int RequireInt(string key)
    {
        string value = Require(key);
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new InvalidDataException($"{Path}: dataset.{key} must be a positive integer, but got '{value}'.");
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child) ? child : null;

    private static string? Scalar(YamlNode? node, string key) =>
        Child(node, key) is YamlScalarNode s && !string.IsNullOrEmpty(s.Value) && s.Value != "null" ? s.Value : null;
}
