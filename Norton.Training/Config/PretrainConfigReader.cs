using System.Globalization;
using Norton.Losses;
using Norton.Models.Bert;
using Norton.Models.VideoClip;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Norton.Training.Config;

/// <summary>
/// Reads the original's pretraining YAML (<c>how2_pretrain.yaml</c> as published) into a <see cref="PretrainConfig"/>.
/// Keys we implement map onto <see cref="TrainerOptions"/> and <see cref="DatasetSettings"/>; keys we recognise but
/// do not use are listed in <see cref="PretrainConfig.UnusedKeys"/>; any other key fails with its path and the nearest
/// known key. Paths are relative to the config file. See docs/training.md for the key table.
/// </summary>
public static class PretrainConfigReader
{
    private delegate void Apply(Builder b, YamlScalarNode value, Func<string, string> path);

    private sealed class Builder
    {
        public TrainerOptions Trainer = new();
        public DatasetSettings Dataset = new();
        public NortonLossOptions Loss = NortonLossOptions.Paper;
        public int VideoLayers = 6;
        public int? MaxVideoLen;
        public string File = "";
    }

    private static readonly Dictionary<string, Apply> Used = new(StringComparer.Ordinal)
    {
        ["dataset.train_path"] = (b, v, p) => b.Dataset = b.Dataset with { TrainPath = p(Text(b, "dataset.train_path", v)) },
        ["dataset.val_path"] = (b, v, p) => b.Dataset = b.Dataset with { ValPath = p(Text(b, "dataset.val_path", v)) },
        ["dataset.vfeat_dir"] = (b, v, p) => b.Dataset = b.Dataset with { VideoFeatureDirectory = p(Text(b, "dataset.vfeat_dir", v)) },
        ["dataset.tfeat_dir"] = (b, v, p) => b.Dataset = b.Dataset with { TextFeaturePrefix = p(Text(b, "dataset.tfeat_dir", v)) },
        ["dataset.num_video_per_batch"] = (b, v, _) => b.Dataset = b.Dataset with { NumVideoPerBatch = Int32(b, "dataset.num_video_per_batch", v, 1) },
        ["dataset.clip_per_video"] = (b, v, _) => b.Dataset = b.Dataset with { ClipPerVideo = Int32(b, "dataset.clip_per_video", v, 1) },
        ["dataset.max_video_len"] = (b, v, _) => { b.MaxVideoLen = Int32(b, "dataset.max_video_len", v, 1); b.Dataset = b.Dataset with { MaxVideoLen = b.MaxVideoLen.Value }; },
        ["dataset.max_len"] = (b, v, _) => b.Dataset = b.Dataset with { MaxLen = Int32(b, "dataset.max_len", v, 1) },
        ["dataset.sampled_min_len"] = (b, v, _) => b.Dataset = b.Dataset with { SampledMinLen = Int32(b, "dataset.sampled_min_len", v, 1) },
        ["dataset.sampled_max_len"] = (b, v, _) => b.Dataset = b.Dataset with { SampledMaxLen = Int32(b, "dataset.sampled_max_len", v, 1) },
        ["dataset.sampled_video_min_len"] = (b, v, _) => b.Dataset = b.Dataset with { SampledVideoMinLen = Int32(b, "dataset.sampled_video_min_len", v, 1) },
        ["dataset.sampled_video_max_len"] = (b, v, _) => b.Dataset = b.Dataset with { SampledVideoMaxLen = Int32(b, "dataset.sampled_video_max_len", v, 1) },
        ["dataset.subsampling"] = (b, v, _) => b.Dataset = b.Dataset with { Subsampling = Int32(b, "dataset.subsampling", v, 1) },
        ["dataset.lazy_vfeat_mask"] = (b, v, _) => b.Dataset = b.Dataset with { LazyVideoFeatureMask = Bool(b, "dataset.lazy_vfeat_mask", v) },
        ["centroids"] = (b, v, _) => b.Dataset = b.Dataset with { Centroids = Int32(b, "centroids", v, 1) },
        ["examples_per_cent_to_train"] = (b, v, _) => b.Dataset = b.Dataset with { ExamplesPerCentroidToTrain = Int32(b, "examples_per_cent_to_train", v, 1) },
        ["num_cands"] = (b, v, _) => b.Dataset = b.Dataset with { NumCandidates = Int32(b, "num_cands", v, 1) },
        ["retri_epoch"] = (b, v, _) => b.Trainer = b.Trainer with { RetrievalEpoch = Int32(b, "retri_epoch", v, 1) },
        ["fairseq.common.log_interval"] = (b, v, _) => b.Trainer = b.Trainer with { LogInterval = Int32(b, "fairseq.common.log_interval", v, 1) },
        ["fairseq.common.seed"] = (b, v, _) => b.Trainer = b.Trainer with { Seed = (ulong)Int64(b, "fairseq.common.seed", v, 0) },
        ["fairseq.optimization.lr"] = (b, v, _) => b.Trainer = b.Trainer with { LearningRate = Number(b, "fairseq.optimization.lr", v) },
        ["fairseq.optimization.clip_norm"] = (b, v, _) => b.Trainer = b.Trainer with { ClipNorm = Number(b, "fairseq.optimization.clip_norm", v) },
        ["fairseq.optimization.optimizer"] = (b, v, _) => Expect(b, "fairseq.optimization.optimizer", v, "adam"),
        ["fairseq.optimization.adam_betas"] = (b, v, _) => b.Trainer = b.Trainer with { AdamBetas = Betas(b, v) },
        ["fairseq.optimization.adam_eps"] = (b, v, _) => b.Trainer = b.Trainer with { AdamEpsilon = Number(b, "fairseq.optimization.adam_eps", v) },
        ["fairseq.optimization.lr_scheduler"] = (b, v, _) => Expect(b, "fairseq.optimization.lr_scheduler", v, "polynomial_decay"),
        ["fairseq.optimization.total_num_update"] = (b, v, _) => b.Trainer = b.Trainer with { TotalNumUpdate = Int64(b, "fairseq.optimization.total_num_update", v, 1) },
        ["fairseq.optimization.warmup_updates"] = (b, v, _) => b.Trainer = b.Trainer with { WarmupUpdates = Int64(b, "fairseq.optimization.warmup_updates", v, 0) },
        ["fairseq.optimization.weight_decay"] = (b, v, _) => b.Trainer = b.Trainer with { WeightDecay = Number(b, "fairseq.optimization.weight_decay", v) },
        ["fairseq.optimization.max_epoch"] = (b, v, _) => b.Trainer = b.Trainer with { MaxEpoch = Int32(b, "fairseq.optimization.max_epoch", v, 1) },
        ["fairseq.optimization.max_update"] = (b, v, _) => b.Trainer = b.Trainer with { MaxUpdates = Int64(b, "fairseq.optimization.max_update", v, 0) is var m && m > 0 ? m : null },
        ["fairseq.checkpoint.restore_file"] = (b, v, p) => b.Trainer = b.Trainer with { InitialCheckpoint = p(Text(b, "fairseq.checkpoint.restore_file", v)) },
        ["fairseq.checkpoint.save_dir"] = (b, v, p) => b.Trainer = b.Trainer with { OutputDirectory = p(Text(b, "fairseq.checkpoint.save_dir", v)) },
        ["fairseq.checkpoint.save_interval_updates"] = (b, v, _) => b.Trainer = b.Trainer with { SaveIntervalUpdates = Int64(b, "fairseq.checkpoint.save_interval_updates", v, 0) },
        ["fairseq.checkpoint.keep_interval_updates"] = (b, v, _) => b.Trainer = b.Trainer with { KeepIntervalUpdates = Int32(b, "fairseq.checkpoint.keep_interval_updates", v, -1) },
        ["fairseq.checkpoint.keep_last_epochs"] = (b, v, _) => b.Trainer = b.Trainer with { KeepLastEpochs = Int32(b, "fairseq.checkpoint.keep_last_epochs", v, -1) },
        ["model.num_hidden_video_layers"] = (b, v, _) => b.VideoLayers = Int32(b, "model.num_hidden_video_layers", v, 1),
        ["model.layernorm_only"] = (b, v, _) => b.Trainer = b.Trainer with { LayerNormOnly = Bool(b, "model.layernorm_only", v) },
        ["model.model_cls"] = (b, v, _) => Expect(b, "model.model_cls", v, "MMFusionSeparate"),
        ["loss.sequence_contrast.sequence_contrast_weight"] = (b, v, _) => b.Loss = Loss(b, "loss.sequence_contrast.sequence_contrast_weight", () => b.Loss with { SequenceContrastWeight = Number(b, "loss.sequence_contrast.sequence_contrast_weight", v) }),
        ["loss.sequence_contrast.threshold"] = (b, v, _) => b.Loss = Loss(b, "loss.sequence_contrast.threshold", () => b.Loss with { Length = Int32(b, "loss.sequence_contrast.threshold", v, 1) }),
        ["loss.sequence_contrast.prompt_ratio"] = (b, v, _) => b.Loss = Loss(b, "loss.sequence_contrast.prompt_ratio", () => b.Loss with { PromptRatio = Number(b, "loss.sequence_contrast.prompt_ratio", v) }),
        ["loss.sequence_contrast.scale"] = (b, v, _) => b.Loss = Loss(b, "loss.sequence_contrast.scale", () => b.Loss with { Scale = Number(b, "loss.sequence_contrast.scale", v) }),
        ["loss.sinkhorn_iterations"] = (b, v, _) => b.Loss = Loss(b, "loss.sinkhorn_iterations", () => b.Loss with { SinkhornIterations = Int32(b, "loss.sinkhorn_iterations", v, 0) }),
        ["loss.beta"] = (b, v, _) => b.Loss = Loss(b, "loss.beta", () => b.Loss with { Beta = Number(b, "loss.beta", v) }),
        ["loss.alpha_lse"] = (b, v, _) => b.Loss = Loss(b, "loss.alpha_lse", () => b.Loss with { AlphaLse = Number(b, "loss.alpha_lse", v) }),
        ["loss.fusion_weight"] = (b, v, _) => b.Loss = Loss(b, "loss.fusion_weight", () => b.Loss with { FusionWeight = Number(b, "loss.fusion_weight", v) }),
    };

    // Recognised keys this port does not use: they are listed in one warning, never an error.
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "dataset.video_processor", "dataset.bert_name", "dataset.meta_processor", "dataset.text_processor", "dataset.aligner",
        "fairseq.common.tensorboard_logdir", "fairseq.common.fp16", "fairseq.dataset.num_workers", "fairseq.dataset.batch_size",
        "fairseq.optimization.ddp_backend", "fairseq.checkpoint.reset_dataloader", "fairseq.checkpoint.reset_meters",
        "fairseq.checkpoint.reset_optimizer", "task_type", "slurm_config", "eval.save_path", "model.mm_encoder_cls",
        "model.video_encoder_cls", "model.text_encoder_cls", "loss.loss_cls", "task", "vectorpool_cls", "retriever_cls",
    };

    /// <summary>Every key the reader knows (used or ignored), as dotted paths.</summary>
    public static IReadOnlyCollection<string> KnownKeys { get; } = Used.Keys.Concat(Ignored).OrderBy(k => k, StringComparer.Ordinal).ToList();

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="ConfigException">Not YAML, an unknown key (with the nearest known one), a value of the wrong
    /// type, an impossible value (negative lr, warm-up beyond the total, clip_norm &lt;= 0, ...).</exception>
    public static PretrainConfig Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"config file '{path}' does not exist.", path);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        var stream = new YamlStream();
        try
        {
            using var reader = File.OpenText(full);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new ConfigException(path, null, $"not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ConfigException(path, null, "the file must hold one YAML mapping (key: value lines).");

        var b = new Builder { File = path };
        var unused = new List<string>();
        Walk(b, root, "", unused, p => Path.GetFullPath(Path.Combine(folder, p)));

        var model = new VideoClipConfig(BertConfig.BertBaseUncased.WithLayers(b.VideoLayers), BertConfig.BertBaseUncased, b.MaxVideoLen ?? 16);
        var trainer = b.Trainer with { Model = model, Loss = b.Loss };
        try
        {
            trainer.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(path, null, e.Message, e);
        }
        return new PretrainConfig(full, trainer, b.Dataset, unused);
    }

    private static void Walk(Builder b, YamlMappingNode node, string prefix, List<string> unused, Func<string, string> resolve)
    {
        foreach (var (keyNode, value) in node.Children)
        {
            string key = prefix + ((YamlScalarNode)keyNode).Value;
            if (value is YamlMappingNode child && !Used.ContainsKey(key) && !Ignored.Contains(key) && KnownKeys.Any(k => k.StartsWith(key + ".", StringComparison.Ordinal)))
            {
                Walk(b, child, key + ".", unused, resolve);
                continue;
            }
            if (Ignored.Contains(key))
            {
                unused.Add($"{key} = {Describe(value)}");
                continue;
            }
            if (!Used.TryGetValue(key, out var apply))
                throw new ConfigException(b.File, key,
                    $"unknown key (line {keyNode.Start.Line}); the nearest known key is '{NearestKey.Find(key, KnownKeys)}'.");
            // fairseq writes lr as a one-element list.
            var single = value is YamlSequenceNode { Children.Count: 1 } list && list.Children[0] is YamlScalarNode only ? only : value;
            if (single is not YamlScalarNode scalar)
                throw new ConfigException(b.File, key, $"expects a single value but has a {value.NodeType} (line {value.Start.Line}).");
            if (IsNull(scalar)) continue;
            apply(b, scalar, resolve);
        }
    }

    private static string Describe(YamlNode value) => value is YamlScalarNode s ? s.Value ?? "null" : value.NodeType.ToString();

    private static bool IsNull(YamlScalarNode v) =>
        v.Style == YamlDotNet.Core.ScalarStyle.Plain && v.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static string Text(Builder b, string key, YamlScalarNode v) =>
        string.IsNullOrWhiteSpace(v.Value) ? throw new ConfigException(b.File, key, "expects a path but is empty.") : v.Value;

    private static double Number(Builder b, string key, YamlScalarNode v) =>
        double.TryParse(v.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
            ? d
            : throw new ConfigException(b.File, key, $"expects a number but is '{v.Value}' (line {v.Start.Line}).");

    private static int Int32(Builder b, string key, YamlScalarNode v, long minimum)
    {
        long n = Int64(b, key, v, minimum);
        return n <= int.MaxValue ? (int)n : throw new ConfigException(b.File, key, $"must be at most {int.MaxValue} but is {n} (line {v.Start.Line}).");
    }

    private static long Int64(Builder b, string key, YamlScalarNode v, long minimum)
    {
        if (!long.TryParse(v.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n))
            throw new ConfigException(b.File, key, $"expects a whole number but is '{v.Value}' (line {v.Start.Line}).");
        if (n < minimum)
            throw new ConfigException(b.File, key, $"must be at least {minimum} but is {n} (line {v.Start.Line}).");
        return n;
    }

    private static bool Bool(Builder b, string key, YamlScalarNode v) => v.Value?.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw new ConfigException(b.File, key, $"expects true or false but is '{v.Value}' (line {v.Start.Line})."),
    };

    private static void Expect(Builder b, string key, YamlScalarNode v, string supported)
    {
        if (!string.Equals(v.Value, supported, StringComparison.OrdinalIgnoreCase))
            throw new ConfigException(b.File, key, $"only '{supported}' is implemented, but the config asks for '{v.Value}'.");
    }

    // "(0.9, 0.98)" as fairseq writes it (a Python tuple in a string), or "0.9, 0.98".
    private static (double, double) Betas(Builder b, YamlScalarNode v)
    {
        const string key = "fairseq.optimization.adam_betas";
        string[] parts = (v.Value ?? "").Trim().TrimStart('(', '[').TrimEnd(')', ']').Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double b1)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double b2))
            return (b1, b2);
        throw new ConfigException(b.File, key, $"expects two numbers like '(0.9, 0.98)' but is '{v.Value}' (line {v.Start.Line}).");
    }

    private static NortonLossOptions Loss(Builder b, string key, Func<NortonLossOptions> change)
    {
        try
        {
            return change();
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(b.File, key, e.Message, e);
        }
    }
}
