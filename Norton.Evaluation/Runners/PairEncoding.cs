using Norton.Evaluation.Encoders;
using Norton.Evaluation.Processing;
using static TorchSharp.torch;

namespace Norton.Evaluation.Runners;

/// <summary>Encodes one-caption-one-clip items in batches (the RetrievalPredictor's loop).</summary>
internal static class PairEncoding
{
    /// <summary>Pooled text (N, H) and pooled video (N, H) of the items, in order.</summary>
    public static (Tensor Text, Tensor Video, List<AlignedItemInfo> Infos) Encode(
        IEnumerable<AlignedItem> items, IZeroShotEncoder encoder, int batchSize, string stage, int total,
        IProgress<EvaluationProgress>? progress)
    {
        using var scope = NewDisposeScope();
        var texts = new List<Tensor>();
        var videos = new List<Tensor>();
        var infos = new List<AlignedItemInfo>();
        var batch = new List<AlignedItem>(batchSize);
        void Flush()
        {
            if (batch.Count == 0) return;
            using var inner = NewDisposeScope();
            Tensor caps = stack(batch.Select(b => b.Caps)), cmasks = stack(batch.Select(b => b.Cmasks));
            Tensor vfeats = stack(batch.Select(b => b.Vfeats)), vmasks = stack(batch.Select(b => b.Vmasks));
            texts.Add(encoder.EncodeText(caps, cmasks).MoveToOuterDisposeScope());
            var (pooled, tokens) = encoder.EncodeVideo(vfeats, vmasks, caps, cmasks);
            tokens.Dispose();
            videos.Add(pooled.MoveToOuterDisposeScope());
            foreach (AlignedItem item in batch)
            {
                infos.Add(new AlignedItemInfo(item.VideoId, item.Segment));
                item.Dispose();
            }
            batch.Clear();
            progress?.Report(new EvaluationProgress(stage, infos.Count, total));
        }
        foreach (AlignedItem item in items)
        {
            batch.Add(item);
            if (batch.Count == batchSize) Flush();
        }
        Flush();
        if (infos.Count == 0)
            throw new InvalidDataException($"{stage}: no test items (no annotation has a feature file).");
        return (cat(texts).MoveToOuterDisposeScope(), cat(videos).MoveToOuterDisposeScope(), infos);
    }
}
