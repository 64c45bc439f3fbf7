using System.Globalization;
using Norton.Evaluation.Config;
using Norton.Evaluation.Data;
using Norton.Evaluation.Encoders;
using Norton.Evaluation.Metrics;
using Norton.Evaluation.Processing;
using static TorchSharp.torch;

namespace Norton.Evaluation.Runners;

/// <summary>
/// <c>test_vttqa_zs</c>: MSR-VTT multiple-choice QA. <c>MSR_MC_test.csv</c> (tab-separated: vid_key, a1..a5,
/// answer; <c>msrN</c> names the video <c>videoN</c>); the video is its first ≤ Tv (16) seconds, each answer a caption;
/// the prediction is the answer with the largest video·text dot product; accuracy.
/// </summary>
public sealed class MsrvttQaTask : AlignedTask
{
    private static readonly string[] Columns = { "vid_key", "a1", "a2", "a3", "a4", "a5", "answer" };

    /// <inheritdoc />
    public MsrvttQaTask(EvaluationConfig config, string dataDirectory) : base(config, dataDirectory)
    {
    }

    /// <inheritdoc />
    public override string Name => "MSR-VTT multiple-choice QA";

    /// <inheritdoc />
    public override IEnumerable<AlignedItem> ReadItems(int? featureWidth = null)
    {
        string path = DataPath("test_path");
        var rows = CsvTable.Read(path, '\t', Columns);
        FeatureFolder features = Features(featureWidth);
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            string videoId = row["vid_key"].Replace("msr", "video", StringComparison.Ordinal);
            if (!int.TryParse(row["answer"], NumberStyles.Integer, CultureInfo.InvariantCulture, out int answer) || answer < 0 || answer > 4)
                throw new InvalidDataException($"{path}: row {i + 1}: answer must be an option index 0..4, but got '{row["answer"]}'.");
            using var feat = features.Load(videoId);
            var (vfeats, vmasks) = VideoSlots.Clip(feat, MaxVideoLength);
            var (caps, cmasks) = Captions.Build(new[] { row["a1"], row["a2"], row["a3"], row["a4"], row["a5"] });
            yield return new AlignedItem
            {
                VideoId = videoId, Caps = caps, Cmasks = cmasks, Vfeats = vfeats, Vmasks = vmasks,
                VideoLength = (int)feat.shape[0], Answer = answer,
            };
        }
    }

    /// <inheritdoc />
    public override EvaluationResult Run(IZeroShotEncoder encoder, IProgress<EvaluationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        int total = CsvTable.Read(DataPath("test_path"), '\t', Columns).Count;
        using var scope = NewDisposeScope();
        var scores = new List<Tensor>();
        var answers = new List<long>();
        var batch = new List<AlignedItem>();
        void Flush()
        {
            if (batch.Count == 0) return;
            using var inner = NewDisposeScope();
            Tensor caps = stack(batch.Select(b => b.Caps)), cmasks = stack(batch.Select(b => b.Cmasks));
            long b = caps.shape[0], options = caps.shape[1];
            // Every answer row sees the same video, and the video tower reads only caps[:, :2]: encode it once.
            var (video, tokens) = encoder.EncodeVideo(stack(batch.Select(x => x.Vfeats)), stack(batch.Select(x => x.Vmasks)),
                caps.select(1, 0), cmasks.select(1, 0));
            tokens.Dispose();
            Tensor text = encoder.EncodeText(caps.flatten(0, 1), cmasks.flatten(0, 1)).reshape(b, options, -1);
            scores.Add(text.matmul(video.unsqueeze(2)).squeeze(2).MoveToOuterDisposeScope());
            foreach (AlignedItem item in batch)
            {
                answers.Add(item.Answer!.Value);
                item.Dispose();
            }
            batch.Clear();
            progress?.Report(new EvaluationProgress(Name, answers.Count, total));
        }
        foreach (AlignedItem item in ReadItems(encoder.InputDim))
        {
            batch.Add(item);
            if (batch.Count == Config.BatchSize) Flush();
        }
        Flush();
        if (answers.Count == 0)
            throw new InvalidDataException($"{DataPath("test_path")}: no questions.");
        MultipleChoiceResult result = MultipleChoiceAccuracy.Evaluate(cat(scores), tensor(answers.ToArray()));
        return Result(answers.Count, new MetricValue("acc", result.Accuracy));
    }
}
