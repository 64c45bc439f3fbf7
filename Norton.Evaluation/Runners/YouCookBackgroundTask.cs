using Norton.Evaluation.Config;
using Norton.Evaluation.Data;
using Norton.Evaluation.Encoders;
using Norton.Evaluation.Metrics;
using Norton.Evaluation.Processing;
using static TorchSharp.torch;

namespace Norton.Evaluation.Runners;

/// <summary>
/// <c>test_youcook_fullvideo_bg_zs</c>: YouCook2 video-paragraph retrieval with background removed. Per video (sorted
/// by id): its step captions, and windows of <c>sliding_window_size</c> (16) seconds every <c>sliding_window</c> (16)
/// seconds padded to Tv (32) slots and encoded with the dummy caption; the scores are captions × windows of all
/// videos; Cap.Avg, DTW and OTAM with the ⌊1.3·captions⌋ best windows.
/// </summary>
public sealed class YouCookBackgroundTask : AlignedTask
{
    /// <inheritdoc />
    public YouCookBackgroundTask(EvaluationConfig config, string dataDirectory) : base(config, dataDirectory)
    {
        Stride = config.RequireInt("sliding_window");
        WindowSize = config.RequireInt("sliding_window_size");
    }

    /// <inheritdoc />
    public override string Name => "YouCook2 video-paragraph retrieval (background removed)";

    /// <summary>The config's <c>sliding_window</c> (stride).</summary>
    public int Stride { get; }

    /// <summary>The config's <c>sliding_window_size</c>.</summary>
    public int WindowSize { get; }

    /// <inheritdoc />
    public override IEnumerable<AlignedItem> ReadItems(int? featureWidth = null)
    {
        FeatureFolder features = Features(featureWidth);
        var videos = YouCookClips.Read(DataPath("test_path"), DataPath("trainval_annotation"), features)
            .GroupBy(c => c.Record.VideoId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var video in videos)
        {
            using var feat = features.Load(video.Key);
            var (vfeats, vmasks, _) = VideoSlots.Windows(feat, Stride, WindowSize, MaxVideoLength);
            var (caps, cmasks) = Captions.Build(video.Select(c => c.Step.Sentence).ToArray());
            yield return new AlignedItem
            {
                VideoId = video.Key, Caps = caps, Cmasks = cmasks, Vfeats = vfeats, Vmasks = vmasks, VideoLength = (int)feat.shape[0],
            };
        }
    }

    /// <inheritdoc />
    public override EvaluationResult Run(IZeroShotEncoder encoder, IProgress<EvaluationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        int total = YouCookClips.Read(DataPath("test_path"), DataPath("trainval_annotation"), Features(null))
            .Select(c => c.Record.VideoId).Distinct().Count();
        using var scope = NewDisposeScope();
        var texts = new List<Tensor>();
        var windows = new List<Tensor>();
        var ids = new List<string>();
        var captionCounts = new List<int>();
        var windowCounts = new List<int>();
        foreach (AlignedItem item in ReadItems(encoder.InputDim))
        {
            using (item)
            using (var inner = NewDisposeScope())
            {
                texts.Add(encoder.EncodeText(item.Caps, item.Cmasks).MoveToOuterDisposeScope());
                int w = (int)item.Vfeats.shape[0];
                var (dummyCaps, dummyMasks) = Captions.BuildDummy(w);
                var (pooled, tokens) = encoder.EncodeVideo(item.Vfeats, item.Vmasks, dummyCaps, dummyMasks);
                tokens.Dispose();
                windows.Add(pooled.MoveToOuterDisposeScope());
                ids.Add(item.VideoId);
                captionCounts.Add((int)item.Caps.shape[0]);
                windowCounts.Add(w);
            }
            progress?.Report(new EvaluationProgress(Name, ids.Count, total));
        }
        if (ids.Count == 0)
            throw new InvalidDataException($"{DataPath("test_path")}: no video has a feature file.");
        Tensor similarity = cat(texts).matmul(cat(windows).t());
        var layout = ParagraphLayout.FromVideoIds(ids, captionCounts, windowCounts);
        var results = ParagraphRetrieval.Evaluate(similarity, layout, ParagraphRetrieval.BackgroundRemoved);
        return Result(ids.Count, ParagraphMetrics.Values(results));
    }
}
