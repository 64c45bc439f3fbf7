using Norton.Evaluation.Config;
using Norton.Evaluation.Data;
using Norton.Evaluation.Encoders;
using Norton.Evaluation.Metrics;
using Norton.Evaluation.Processing;
using static TorchSharp.torch;

namespace Norton.Evaluation.Runners;

/// <summary>
/// <c>test_coin_zs</c>: COIN zero-shot action segmentation. Testing videos of <c>COIN.json</c> with features;
/// windows of <c>sliding_window_size</c> (32) seconds every <c>sliding_window</c> (16) seconds with the dummy
/// caption; every step name embedded by the text tower; a second's logits are its video token · each label
/// embedding, averaged over overlapping windows; below the largest similarity between two labels it is background
/// (0). Frame accuracy over all seconds.
/// </summary>
public sealed class CoinSegmentationTask : AlignedTask
{
    private const int LabelBatch = 256;

    /// <inheritdoc />
    public CoinSegmentationTask(EvaluationConfig config, string dataDirectory) : base(config, dataDirectory)
    {
        Stride = config.RequireInt("sliding_window");
        WindowSize = config.RequireInt("sliding_window_size");
    }

    /// <inheritdoc />
    public override string Name => "COIN zero-shot action segmentation";

    /// <summary>The config's <c>sliding_window</c> (stride).</summary>
    public int Stride { get; }

    /// <summary>The config's <c>sliding_window_size</c>.</summary>
    public int WindowSize { get; }

    /// <summary>The step names (label 1 first) and their token sequences (K, Lc).</summary>
    public (IReadOnlyList<string> Texts, Tensor Caps, Tensor Cmasks) ReadLabels()
    {
        IReadOnlyList<string> texts = CoinAnnotations.Read(DataPath("test_path")).TextLabels;
        var (caps, cmasks) = Captions.Build(texts);
        return (texts, caps, cmasks);
    }

    /// <inheritdoc />
    public override IEnumerable<AlignedItem> ReadItems(int? featureWidth = null)
    {
        FeatureFolder features = Features(featureWidth);
        foreach (CoinVideo video in CoinAnnotations.Read(DataPath("test_path")).Videos)
        {
            if (video.Subset != "testing" || !features.Contains(video.VideoId)) continue;
            using var feat = features.Load(video.VideoId);
            int length = (int)feat.shape[0];
            long[] targets = VideoTargets(video, length);
            var (vfeats, vmasks, starts) = VideoSlots.Windows(feat, Stride, WindowSize, MaxVideoLength);
            var windowTargets = new long[starts.Count * MaxVideoLength];
            Array.Fill(windowTargets, -100L);
            for (int w = 0; w < starts.Count; w++)
                for (int i = 0; i < Math.Min(WindowSize, length - starts[w]); i++)
                    windowTargets[w * MaxVideoLength + i] = targets[starts[w] + i];
            var (caps, cmasks) = Captions.BuildDummy(starts.Count);
            yield return new AlignedItem
            {
                VideoId = video.VideoId, Caps = caps, Cmasks = cmasks, Vfeats = vfeats, Vmasks = vmasks, VideoLength = length,
                Targets = tensor(windowTargets, new long[] { starts.Count, MaxVideoLength }), VideoTargets = targets,
            };
        }
    }

    /// <inheritdoc />
    public override EvaluationResult Run(IZeroShotEncoder encoder, IProgress<EvaluationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        using var scope = NewDisposeScope();
        var (texts, labelCaps, labelMasks) = ReadLabels();
        if (texts.Count < 2)
            throw new InvalidDataException($"{DataPath("test_path")}: the testing subset names {texts.Count} step label(s); the background threshold needs at least 2.");
        var parts = new List<Tensor>();
        for (long s = 0; s < texts.Count; s += LabelBatch)
        {
            long n = Math.Min(LabelBatch, texts.Count - s);
            parts.Add(encoder.EncodeText(labelCaps.narrow(0, s, n), labelMasks.narrow(0, s, n)));
        }
        Tensor labels = cat(parts);
        double threshold = ZeroShotSegmentation.Threshold(labels);
        int total = CoinAnnotations.Read(DataPath("test_path")).Videos.Count(v => v.Subset == "testing" && File.Exists(Features(null).PathOf(v.VideoId)));
        var videos = new List<(IReadOnlyList<long> Predictions, IReadOnlyList<long> Targets)>();
        SegmentationExample? example = null;
        foreach (AlignedItem item in ReadItems(encoder.InputDim))
        {
            using (item)
            using (var inner = NewDisposeScope())
            {
                var (pooled, tokens) = encoder.EncodeVideo(item.Vfeats, item.Vmasks, item.Caps, item.Cmasks);
                pooled.Dispose();
                Tensor logits = tokens.narrow(1, 1, MaxVideoLength).matmul(labels.t());
                Tensor merged = SegmentationWindowMerge.Merge(logits, item.Targets!, item.VideoLength, Stride, WindowSize);
                long[] predicted = ZeroShotSegmentation.Predict(merged, threshold).data<long>().ToArray();
                videos.Add((predicted, item.VideoTargets!));
                example ??= new SegmentationExample(item.VideoId, predicted, item.VideoTargets!);
            }
            progress?.Report(new EvaluationProgress(Name, videos.Count, total));
        }
        if (videos.Count == 0)
            throw new InvalidDataException($"{DataPath("test_path")}: no testing video has a feature file in {Features(null).Directory}.");
        FrameAccuracyResult accuracy = FrameAccuracy.Evaluate(videos);
        return Result(videos.Count, new MetricValue("frame_acc", accuracy.Accuracy)) with { Segmentation = example };
    }

    /// <summary>Per-second labels: 0, then each segment in order writes its id on [⌊start⌋, ⌈end⌉) (later ones win).</summary>
    private static long[] VideoTargets(CoinVideo video, int length)
    {
        var targets = new long[length];
        foreach (CoinSegment s in video.Segments)
        {
            int from = Math.Max(0, (int)Math.Floor(s.Start)), to = Math.Min(length, (int)Math.Ceiling(s.End));
            for (int t = from; t < to; t++) targets[t] = s.Label;
        }
        return targets;
    }
}
