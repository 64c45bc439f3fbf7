using Norton.Evaluation.Config;
using Norton.Evaluation.Data;
using Norton.Evaluation.Encoders;
using Norton.Evaluation.Metrics;
using Norton.Evaluation.Processing;

namespace Norton.Evaluation.Runners;

/// <summary>
/// <c>test_vtt_zs</c>: MSR-VTT text-to-video retrieval. <c>MSRVTT_JSFUSION_test.csv</c> (key, vid_key, video_id,
/// sentence) gives 1,000 pairs; the video is its first ≤ Tv seconds, the caption ≤ Lc − 3 word pieces; the score
/// is the text-to-video dot product; R@1/5/10 and median rank.
/// </summary>
public sealed class MsrvttRetrievalTask : AlignedTask
{
    /// <inheritdoc />
    public MsrvttRetrievalTask(EvaluationConfig config, string dataDirectory) : base(config, dataDirectory)
    {
    }

    /// <inheritdoc />
    public override string Name => "MSR-VTT retrieval";

    /// <inheritdoc />
    public override IEnumerable<AlignedItem> ReadItems(int? featureWidth = null)
    {
        var rows = CsvTable.Read(DataPath("test_path"), ',', "video_id", "sentence");
        FeatureFolder features = Features(featureWidth);
        foreach (var row in rows)
        {
            string videoId = row["video_id"];
            using var feat = features.Load(videoId);
            var (vfeats, vmasks) = VideoSlots.Clip(feat, MaxVideoLength);
            var (caps, cmasks) = Captions.Build(new[] { row["sentence"] });
            yield return new AlignedItem
            {
                VideoId = videoId, Caps = caps.squeeze(0), Cmasks = cmasks.squeeze(0), Vfeats = vfeats, Vmasks = vmasks,
                VideoLength = (int)feat.shape[0],
            };
            caps.Dispose();
            cmasks.Dispose();
        }
    }

    /// <inheritdoc />
    public override EvaluationResult Run(IZeroShotEncoder encoder, IProgress<EvaluationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        int total = CsvTable.Read(DataPath("test_path"), ',', "video_id", "sentence").Count;
        var (text, video, infos) = PairEncoding.Encode(ReadItems(encoder.InputDim), encoder, Config.BatchSize, Name, total, progress);
        using (text)
        using (video)
        {
            using var similarity = text.matmul(video.t());
            return RetrievalMetrics.Result(this, infos.Count, TextToVideoRetrieval.Evaluate(similarity));
        }
    }
}
