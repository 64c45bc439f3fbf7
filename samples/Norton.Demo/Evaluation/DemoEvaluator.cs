using Norton.Demo.Data;
using Norton.Demo.Training;
using Norton.Evaluation.Alignment;
using Norton.Evaluation.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Demo.Evaluation;

/// <summary>Measures a trained <see cref="DualEncoder"/> on held-out videos against their clean ground truth.</summary>
internal static class DemoEvaluator
{
    /// <summary>Share of training pairs whose cosine the bucket value is (the loss's PromptRatio).</summary>
    public const double PromptRatio = 0.3;

    /// <summary>(captions x clips) cosine similarity of a whole set, rows and columns in (video, clip) order.</summary>
    public static Tensor Similarity(DualEncoder model, NoisyVideoSet set)
    {
        var (clips, captions) = Encode(model, set);
        using (clips)
        using (captions)
            return ZeroShotAligner.CosineSimilarity(clips, captions);
    }

    /// <summary>Caption-to-clip R@1 (cheap enough to run after every epoch).</summary>
    public static double ClipR1(DualEncoder model, NoisyVideoSet set)
    {
        using var scope = NewDisposeScope();
        using var s = Similarity(model, set);
        return ClipRetrieval(s, set).R1;
    }

    /// <summary>Every figure of the table, and the alignment of <paramref name="exampleVideo"/> for the heatmap.</summary>
    public static (MethodResults Results, ZeroShotAlignment Example) Evaluate(
        DualEncoder model, NoisyVideoSet train, NoisyVideoSet test, int exampleVideo)
    {
        using var scope = NewDisposeScope();
        var (trainClips, trainCaptions) = Encode(model, train);
        double bucket = ZeroShotAligner.BucketFromPairs(trainClips, trainCaptions, PromptRatio);
        var aligner = new ZeroShotAligner(bucket);
        var s = Similarity(model, test);

        var clip = ClipRetrieval(s, test);

        int clips = test.Clips;
        var counts = Enumerable.Repeat(clips, test.Count).ToArray();
        var layout = ParagraphLayout.FromCounts(counts, counts);
        var transport = new PromptBucketScorer(aligner);
        // DTW on the distance 1 - cosine: the original's -dot would measure embedding norms as much as directions.
        var dtw = new DtwScorer(new SequenceDistanceOptions(1f, null, PathLengthScaling.AreaRatio));
        var paragraph = ParagraphRetrieval.Evaluate(s, layout, new IParagraphScorer[] { transport, CaptionAverageScorer.Instance, dtw });

        var recall = new TemporalAlignmentRecall();
        ZeroShotAlignment? example = null;
        for (int v = 0; v < test.Count; v++)
        {
            var block = s.narrow(0, v * clips, clips).narrow(1, v * clips, clips);
            var alignment = aligner.Align(block);
            var texts = Enumerable.Range(0, clips)
                .Select(c => test.Truth[v, c] is int t and >= 0 ? new AlignmentText(true, t, t) : new AlignmentText(false, c, c))
                .ToArray();
            recall.Add(alignment.Plan, texts);
            if (v == exampleVideo) example = alignment;
            else alignment.Dispose();
        }
        var alignmentResult = recall.Result();

        var results = new MethodResults(
            clip.R1, clip.R5, clip.R10,
            paragraph[0].R1, paragraph[1].R1, paragraph[2].R1,
            alignmentResult.Recall ?? double.NaN, alignmentResult.Auc ?? double.NaN, bucket);
        example!.Similarity.MoveToOuterDisposeScope();
        example.Plan.MoveToOuterDisposeScope();
        example.AugmentedPlan.MoveToOuterDisposeScope();
        return (results, example);
    }

    /// <summary>
    /// Caption-to-clip retrieval over every clip of the set, for the captions that describe a clip. A retrieved clip
    /// is right when it shows the step the caption describes: steps recur across videos, and a caption such as "crack
    /// the eggs" is as true of every clip of that step. The rank of a query is the number of clips of other steps that
    /// score above its best clip of the right step.
    /// </summary>
    private static (double R1, double R5, double R10) ClipRetrieval(Tensor similarity, NoisyVideoSet set)
    {
        int clips = set.Clips, columns = set.Count * clips;
        float[] s;
        using (var cpu = similarity.detach().cpu().to(ScalarType.Float32).contiguous())
            s = cpu.data<float>().ToArray();
        var stepOfColumn = new int[columns];
        for (int v = 0; v < set.Count; v++)
            for (int c = 0; c < clips; c++)
                stepOfColumn[v * clips + c] = set.ClipSteps[v, c];
        int queries = 0, hit1 = 0, hit5 = 0, hit10 = 0;
        for (int v = 0; v < set.Count; v++)
            for (int c = 0; c < clips; c++)
            {
                int truth = set.Truth[v, c];
                if (truth < 0) continue;
                int step = set.ClipSteps[v, truth];
                var row = s.AsSpan((v * clips + c) * columns, columns);
                float best = float.NegativeInfinity;
                for (int j = 0; j < columns; j++)
                    if (stepOfColumn[j] == step && row[j] > best) best = row[j];
                int rank = 0;
                for (int j = 0; j < columns; j++)
                    if (stepOfColumn[j] != step && row[j] > best) rank++;
                queries++;
                if (rank < 1) hit1++;
                if (rank < 5) hit5++;
                if (rank < 10) hit10++;
            }
        if (queries == 0) return (double.NaN, double.NaN, double.NaN);   // every caption is noise: nothing to retrieve
        return ((double)hit1 / queries, (double)hit5 / queries, (double)hit10 / queries);
    }

    /// <summary>Pooled (clips, captions) features of a whole set, (videos * clips, D) each, without gradients.</summary>
    private static (Tensor Clips, Tensor Captions) Encode(DualEncoder model, NoisyVideoSet set)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        var (clips, _) = model.EncodeVideo(set.Frames.flatten(0, 1));
        var (captions, _) = model.EncodeText(set.Words.flatten(0, 1));
        return (clips.MoveToOuterDisposeScope(), captions.MoveToOuterDisposeScope());
    }
}
