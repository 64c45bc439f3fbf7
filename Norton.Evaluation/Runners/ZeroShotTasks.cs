using Norton.Evaluation.Config;

namespace Norton.Evaluation.Runners;

/// <summary>Picks the runner for one of the original's zero-shot test configs.</summary>
public static class ZeroShotTasks
{
    /// <summary>The processor chains we run: meta processor → (video processor, aligner, text processor, metrics).</summary>
    private static readonly (string Meta, string Video, string Aligner, string Text, string[] Metrics)[] Supported =
    {
        ("MSRVTTMetaProcessor", "VideoProcessor", "DSAligner", "MSRVTTTextProcessor", new[] { "RetrievalMetric" }),
        ("MSRVTTQAMetaProcessor", "VideoProcessor", "MSRVTTQAAligner", "MSRVTTQATextProcessor", new[] { "QAMetric" }),
        ("YoucookMetaProcessor", "YoucookVideoProcessor", "DSAligner", "TextProcessor", new[] { "RetrievalMetric", "FullVideoRetrievalMetric" }),
        ("YoucookFullVideoBGMetaProcessor", "YoucookFullVideoBGProcessor", "YoucookFullVideoBGAligner", "YoucookFullVideoBGTextProcessor", new[] { "FullVideoBGRetrievalMetric" }),
        ("COINActionSegmentationMetaProcessor", "VideoProcessor", "COINActionSegmentationAligner", "COINActionSegmentationTextProcessor", new[] { "COINActionSegmentationMetric" }),
    };

    /// <summary>The supported configs, for messages and help.</summary>
    public static string SupportedDescription =>
        string.Join("; ", Supported.Select(s => $"{s.Meta} ({s.Video}, {s.Aligner}, {s.Text}; {string.Join(" or ", s.Metrics)})"))
        + "; HTM-Align (no meta_processor, dataset.anno_path)";

    /// <summary>Reads a config file and binds it to a data folder.</summary>
    /// <exception cref="NotSupportedException">The config names processors or a metric we do not run; the message
    /// lists the supported ones.</exception>
    public static ZeroShotTask Create(string configPath, string dataDirectory) => Create(EvaluationConfig.Load(configPath), dataDirectory);

    /// <summary>Binds a config to a data folder.</summary>
    /// <exception cref="NotSupportedException">See <see cref="Create(string, string)"/>.</exception>
    public static ZeroShotTask Create(EvaluationConfig config, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        string? meta = config.MetaProcessor;
        if (meta is null)
        {
            if (config.Dataset.ContainsKey("anno_path"))
                return new HtmAlignTask(config, dataDirectory);
            throw Unsupported(config, "no dataset.meta_processor and no dataset.anno_path");
        }
        var match = Supported.Where(s => s.Meta == meta).ToArray();
        if (match.Length == 0)
            throw Unsupported(config, $"meta_processor {meta}");
        var chain = match[0];
        foreach (var (key, expected) in new[] { ("video_processor", chain.Video), ("aligner", chain.Aligner), ("text_processor", chain.Text) })
            if (config.Dataset.TryGetValue(key, out string? value) && value != expected)
                throw Unsupported(config, $"{key} {value} with {meta} (we run {expected})");
        if (config.Metric is not null && !chain.Metrics.Contains(config.Metric))
            throw Unsupported(config, $"metric {config.Metric} with {meta}");
        return meta switch
        {
            "MSRVTTMetaProcessor" => new MsrvttRetrievalTask(config, dataDirectory),
            "MSRVTTQAMetaProcessor" => new MsrvttQaTask(config, dataDirectory),
            "YoucookMetaProcessor" => new YouCookClipTask(config, dataDirectory),
            "YoucookFullVideoBGMetaProcessor" => new YouCookBackgroundTask(config, dataDirectory),
            _ => new CoinSegmentationTask(config, dataDirectory),
        };
    }

    private static NotSupportedException Unsupported(EvaluationConfig config, string what) =>
        new($"{config.Path}: {what} is not supported. Supported zero-shot configs: {SupportedDescription}.");
}
