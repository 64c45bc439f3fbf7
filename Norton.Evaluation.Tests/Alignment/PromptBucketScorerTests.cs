using Norton.Evaluation.Alignment;
using Norton.Evaluation.Metrics;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Evaluation.Tests.Alignment;

public sealed class PromptBucketScorerTests
{
    // Two paragraphs of two captions, two videos of two clips. Paragraph 0 belongs to video 0, whose clips each match
    // one caption (0.8). Video 1 has one clip that resembles both captions of paragraph 0 (0.95) and one unrelated
    // clip (0.0). Cap.Avg lets both captions take the same clip and prefers video 1 (0.95 > 0.8); the transport lets a
    // clip serve one caption only, so video 1 earns 0.95 for one caption and at most p = 0.3 for the other, and
    // video 0 wins. Paragraph 1 (rows 2-3) is unambiguous for both scores.
    private static readonly float[,] Matrix =
    {
        { 0.8f, 0.1f, 0.95f, 0.0f },
        { 0.1f, 0.8f, 0.95f, 0.0f },
        { 0.0f, 0.0f, 0.7f, 0.2f },
        { 0.1f, 0.0f, 0.1f, 0.9f },
    };

    private static readonly ParagraphLayout Layout = ParagraphLayout.FromCounts(new[] { 2, 2 }, new[] { 2, 2 });

    [Fact]
    public void TransportRetrievesWhereCaptionAverageIsFooledByOneClip()
    {
        using var similarity = tensor(Matrix);
        var scorer = new PromptBucketScorer(new ZeroShotAligner(0.3));
        var results = ParagraphRetrieval.Evaluate(similarity, Layout, new IParagraphScorer[] { scorer, CaptionAverageScorer.Instance });

        Assert.Equal("OT+bucket", results[0].Scorer);
        Assert.Equal(1.0, results[0].R1);
        Assert.Equal(0.5, results[1].R1);   // Cap.Avg: paragraph 0 goes to video 1
        Assert.True(results[0].Scores[0, 0] > results[0].Scores[0, 1]);
    }

    [Fact]
    public void ScoreIsTheAlignersTransportValue()
    {
        var aligner = new ZeroShotAligner(0.3);
        var block = SimilarityBlock.FromArray(new[,] { { 0.95f, 0.0f }, { 0.95f, 0.0f } });
        using var t = tensor(new[,] { { 0.95f, 0.0f }, { 0.95f, 0.0f } });
        using var alignment = aligner.Align(t);

        double score = new PromptBucketScorer(aligner).Score(block, new ParagraphBounds(2, 2));

        Assert.Equal(alignment.TransportValue, score, 12);
        // One caption takes the good clip, the other splits between the bucket (0.3) and the unrelated clip (0.0).
        Assert.InRange(score, 0.5, 0.95 / 2 + 0.3 / 2 + 1e-6);
    }

    [Fact]
    public void BatchScoresEqualOneByOneScoresAcrossBlockSizes()
    {
        // Three videos of 2, 3 and 2 clips and paragraphs of 2, 1 and 3 captions: six block sizes in one batch.
        float[,] m = new float[6, 7];
        var rng = new Random(11);
        for (int r = 0; r < 6; r++)
            for (int c = 0; c < 7; c++)
                m[r, c] = (float)(rng.NextDouble() * 2 - 1);
        var layout = ParagraphLayout.FromCounts(new[] { 2, 1, 3 }, new[] { 2, 3, 2 });
        var scorer = new PromptBucketScorer(new ZeroShotAligner(0.3));
        using var similarity = tensor(m);

        var fromBatch = ParagraphRetrieval.Evaluate(similarity, layout, new IParagraphScorer[] { scorer })[0];
        var oneByOne = ParagraphRetrieval.Evaluate(similarity, layout,
            new IParagraphScorer[] { new DelegateParagraphScorer("one", (in SimilarityBlock b, ParagraphBounds bounds) => scorer.Score(b, bounds)) })[0];

        for (int p = 0; p < 3; p++)
            for (int v = 0; v < 3; v++)
                Assert.Equal(oneByOne.Scores[p, v], fromBatch.Scores[p, v], 5);
    }

    [Fact]
    public void ScoreBatchKeepsTheOrderOfItsBlocksAndNoState()
    {
        var scorer = new PromptBucketScorer(new ZeroShotAligner(0.3));
        var a = SimilarityBlock.FromArray(new[,] { { 0.95f, 0.0f }, { 0.95f, 0.0f } });
        var b = SimilarityBlock.FromArray(new[,] { { 0.8f, 0.1f }, { 0.1f, 0.8f } });
        var c = SimilarityBlock.FromArray(new[,] { { 0.5f, 0.2f, 0.1f } });
        var bounds = new ParagraphBounds(2, 3);

        double[] first = scorer.ScoreBatch(new[] { a, b, c, a }, bounds);
        double[] reversed = scorer.ScoreBatch(new[] { a, c, b, a }, bounds);

        Assert.Equal(scorer.Score(a, bounds), first[0], 5);
        Assert.Equal(scorer.Score(b, bounds), first[1], 5);
        Assert.Equal(scorer.Score(c, bounds), first[2], 5);
        Assert.Equal(first[0], first[3], 12);
        Assert.Equal(first[1], reversed[2], 12);
        Assert.Equal(first[2], reversed[1], 12);
        Assert.True(first[1] > first[0]);   // the diagonal pair beats the one-clip pair
    }

    [Fact]
    public void ManyThreadsShareOneScorer()
    {
        var scorer = new PromptBucketScorer(new ZeroShotAligner(0.3));
        var block = SimilarityBlock.FromArray(new[,] { { 0.8f, 0.1f }, { 0.1f, 0.8f } });
        double expected = scorer.Score(block, new ParagraphBounds(2, 2));
        var blocks = Enumerable.Repeat(block, 8).ToArray();
        double[][] results = new double[4][];
        Parallel.For(0, 4, i => results[i] = scorer.ScoreBatch(blocks, new ParagraphBounds(2, 2)));
        Assert.All(results.SelectMany(r => r), s => Assert.Equal(expected, s, 5));
    }
}
