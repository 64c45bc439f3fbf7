using Norton.Evaluation.Config;
using Norton.Evaluation.Data;
using Norton.Evaluation.Encoders;
using Norton.Evaluation.Metrics;
using Norton.Evaluation.Processing;
using static TorchSharp.torch;

namespace Norton.Evaluation.Runners;

/// <summary>
/// <c>test_how2align_zs</c>: HTM-Align zero-shot temporal alignment (the original's <c>eval_zeroshot_align.py</c>).
/// <c>anno_path</c> (<c>htm_align.json</c>) and <c>&lt;vfeat_dir&gt;/&lt;video&gt;.npy</c>; windows of Tv (32) seconds
/// every Tv/4; in each, the L2-normalised video tokens <c>[1:-1]</c> (padded slots included) against the
/// L2-normalised pooled texts; stitched, uncovered cells −6e4; recall of the argmax second in
/// [⌊start⌋, ⌈end⌉] and the AUC of alignability.
/// </summary>
public sealed class HtmAlignTask : ZeroShotTask
{
    /// <inheritdoc />
    public HtmAlignTask(EvaluationConfig config, string dataDirectory) : base(config, dataDirectory)
    {
    }

    /// <inheritdoc />
    public override string Name => "HTM-Align temporal alignment";

    /// <inheritdoc />
    public override EvaluationResult Run(IZeroShotEncoder encoder, IProgress<EvaluationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        IReadOnlyList<HtmAlignVideo> videos = HtmAlignAnnotations.Read(DataPath("anno_path"));
        FeatureFolder features = Features(encoder.InputDim);
        var recall = new TemporalAlignmentRecall();
        AlignmentExample? example = null;
        int done = 0;
        foreach (HtmAlignVideo video in videos)
        {
            if (video.Segments.Count == 0) continue;
            using var scope = NewDisposeScope();
            Tensor feat = features.Load(video.VideoId);
            var texts = video.Segments.Select(s => new AlignmentText(s.Alignable, s.Start, s.End)).ToArray();
            var (caps, cmasks) = Captions.Build(video.Segments.Select(s => s.Text).ToArray());
            int length = (int)feat.shape[0];
            var windows = TemporalAlignmentWindows.Plan(length, texts, MaxVideoLength);
            Tensor similarity = TemporalAlignmentWindows.Stitch(length, texts.Length, windows, w =>
            {
                var (vfeats, vmasks) = VideoSlots.Clip(feat.narrow(0, w.Start, w.Length), MaxVideoLength);
                Tensor c = caps.narrow(0, w.FirstText, w.TextCount), m = cmasks.narrow(0, w.FirstText, w.TextCount);
                var (pooled, tokens) = encoder.EncodeVideo(vfeats.unsqueeze(0), vmasks.unsqueeze(0), c.narrow(0, 0, 1), m.narrow(0, 0, 1));
                pooled.Dispose();
                Tensor v = nn.functional.normalize(tokens[0].narrow(0, 1, MaxVideoLength), dim: 1);
                Tensor t = nn.functional.normalize(encoder.EncodeText(c, m), dim: 1);
                return t.matmul(v.t());
            });
            recall.Add(similarity, texts);
            if (example is null)
            {
                var values = new float[texts.Length, length];
                var flat = similarity.data<float>().ToArray();
                Buffer.BlockCopy(flat, 0, values, 0, flat.Length * sizeof(float));
                example = new AlignmentExample(video.VideoId, values, texts);
            }
            done++;
            progress?.Report(new EvaluationProgress(Name, done, videos.Count));
        }
        if (done == 0)
            throw new InvalidDataException($"{DataPath("anno_path")}: no video with texts.");
        TemporalAlignmentResult result = recall.Result();
        return Result(done, new MetricValue("Recall", result.Recall ?? double.NaN), new MetricValue("AUC", result.Auc ?? double.NaN))
            with { Alignment = example };
    }
}
