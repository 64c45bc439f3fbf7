using Norton.Evaluation.Config;
using Norton.Evaluation.Data;
using Norton.Evaluation.Encoders;
using Norton.Evaluation.Metrics;
using Norton.Evaluation.Processing;

namespace Norton.Evaluation.Runners;

/// <summary>
/// <c>test_youcook_zs</c> and <c>test_youcook_fullvideo_zs</c>: YouCook2 clips <c>&lt;video&gt;_&lt;k&gt;</c> from
/// <c>youcook_val.pkl</c> that have features, captions from the annotation file, video <c>feat[start:end]</c> cut to
/// its first Tv seconds. With <c>RetrievalMetric</c>: clip text-to-video retrieval (R@k, MR). With
/// <c>FullVideoRetrievalMetric</c>: each video's captions as a paragraph against its clips, scored by Cap.Avg, DTW
/// and OTAM (background kept).
/// </summary>
public sealed class YouCookClipTask : AlignedTask
{
    /// <inheritdoc />
    public YouCookClipTask(EvaluationConfig config, string dataDirectory) : base(config, dataDirectory)
    {
    }

    /// <summary>Whether the config asks for video-paragraph retrieval (<c>FullVideoRetrievalMetric</c>).</summary>
    public bool FullVideo => Config.Metric == "FullVideoRetrievalMetric";

    /// <inheritdoc />
    public override string Name => FullVideo ? "YouCook2 video-paragraph retrieval (with background)" : "YouCook2 clip retrieval";

    /// <inheritdoc />
    public override IEnumerable<AlignedItem> ReadItems(int? featureWidth = null)
    {
        FeatureFolder features = Features(featureWidth);
        foreach (var (record, step) in YouCookClips.Read(DataPath("test_path"), DataPath("trainval_annotation"), features))
        {
            using var feat = features.Load(record.VideoId);
            long t = feat.shape[0];
            long start = Math.Clamp(step.Start, 0, t), end = Math.Clamp(step.End, start, t);
            using var clip = feat.narrow(0, start, end - start);
            var (vfeats, vmasks) = VideoSlots.Clip(clip, MaxVideoLength);
            var (caps, cmasks) = Captions.Build(new[] { step.Sentence });
            yield return new AlignedItem
            {
                VideoId = record.VideoId, Caps = caps.squeeze(0), Cmasks = cmasks.squeeze(0), Vfeats = vfeats, Vmasks = vmasks,
                VideoLength = (int)t, Segment = (step.Start, step.End),
            };
            caps.Dispose();
            cmasks.Dispose();
        }
    }

    /// <inheritdoc />
    public override EvaluationResult Run(IZeroShotEncoder encoder, IProgress<EvaluationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        int total = YouCookClips.Read(DataPath("test_path"), DataPath("trainval_annotation"), Features(null)).Count;
        var (text, video, infos) = PairEncoding.Encode(ReadItems(encoder.InputDim), encoder, Config.BatchSize, Name, total, progress);
        using (text)
        using (video)
        {
            using var similarity = text.matmul(video.t());
            if (!FullVideo)
                return RetrievalMetrics.Result(this, infos.Count, TextToVideoRetrieval.Evaluate(similarity));
            var layout = ParagraphLayout.FromSegmentVideoIds(infos.Select(i => i.VideoId).ToArray());
            var results = ParagraphRetrieval.Evaluate(similarity, layout, ParagraphRetrieval.WithBackground);
            return Result(layout.Videos.Count, ParagraphMetrics.Values(results));
        }
    }
}
