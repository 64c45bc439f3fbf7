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
    public void PrecomputedScoresEqualOneByOneScores()
    {
        using var similarity = tensor(Matrix);
        var aligner = new ZeroShotAligner(0.3);
        var direct = ParagraphRetrieval.Evaluate(similarity, Layout, new IParagraphScorer[] { new PromptBucketScorer(aligner) })[0];
        var batched = new PromptBucketScorer(aligner);
        batched.Precompute(similarity, Layout);
        var fromBatch = ParagraphRetrieval.Evaluate(similarity, Layout, new IParagraphScorer[] { batched })[0];

        for (int p = 0; p < 2; p++)
            for (int v = 0; v < 2; v++)
                Assert.Equal(direct.Scores[p, v], fromBatch.Scores[p, v], 5);
    }

    [Fact]
    public void PrecomputeRejectsAMatrixSmallerThanTheLayout()
    {
        using var small = zeros(3, 4);
        var scorer = new PromptBucketScorer(new ZeroShotAligner(0.3));
        Assert.Contains("similarity", Assert.Throws<ArgumentException>(() => scorer.Precompute(small, Layout)).Message);
    }
}
