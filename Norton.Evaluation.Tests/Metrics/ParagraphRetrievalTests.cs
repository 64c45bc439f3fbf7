using Norton.Evaluation.Metrics;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Evaluation.Tests.Metrics;

public class ParagraphRetrievalTests
{
    // §5.3 set: segments 0, 1 belong to video "b", segment 2 to "a"; sorted order is a (k=0), b (k=1); Lmax = 2.
    private static readonly float[,] FullVideoSimilarity =
    {
        { 2, 0, 1 }, // b, segment 0
        { 0, 2, 1 }, // b, segment 1
        { 1, 1, 3 }, // a, segment 0
    };

    [Fact]
    public void FullVideoLayoutSortsVideosById()
    {
        var layout = ParagraphLayout.FromSegmentVideoIds(new[] { "b", "b", "a" });
        Assert.Equal(new[] { "a", "b" }, layout.Videos.Select(v => v.VideoId));
        Assert.Equal(new ParagraphSpan("a", 2, 1, 2, 1), layout.Videos[0]);
        Assert.Equal(new ParagraphSpan("b", 0, 2, 0, 2), layout.Videos[1]);
        Assert.Equal(new ParagraphBounds(2, 2), layout.Bounds);
    }

    [Fact]
    public void FullVideoScoresMatchTheHandComputation()
    {
        using var s = tensor(FullVideoSimilarity);
        var layout = ParagraphLayout.FromSegmentVideoIds(new[] { "b", "b", "a" });
        var results = ParagraphRetrieval.Evaluate(s, layout, ParagraphRetrieval.WithBackground);
        Assert.Equal(new[] { "Cap.Avg", "DTW", "OTAM" }, results.Select(r => r.Scorer));

        // Cap.Avg: (a,a) = 3; (a,b) = max(1,1) = 1; (b,a) = mean(1,1) = 1; (b,b) = mean(2,2) = 2.
        Assert.Equal(new double[,] { { 3, 1 }, { 1, 2 } }, results[0].Scores);
        Assert.Equal((1.0, 1.0, 1.0), (results[0].R1, results[0].R5, results[0].R10));

        // DTW, D = -S · Lmax²/(rows·cols), padded to 2×2:
        // (a,a) [[-12]] -> [[-12,0],[inf,0]] -> C11 = 0+min(-12,inf,-12) = -12 -> 12.
        // (a,b) [[-2,-2]]: d1 = 0 zeroes rows [-2:] × all columns, i.e. everything -> 0.
        // (b,a) [[-2],[-2]] -> [[-2,inf],[-2,0]] -> C10 = -4, C11 = 0+min(-2,-4,inf) = -4 -> 4.
        // (b,b) [[-2,0],[0,-2]] -> last row zeroed -> [[-2,0],[0,0]] -> -2 -> 2.
        // Paragraph b ranks video a (4) above b (2): R@1 = 1/2.
        Assert.Equal(new double[,] { { 12, 0 }, { 4, 2 } }, results[1].Scores);
        Assert.Equal((0.5, 1.0), (results[1].R1, results[1].R5));

        // OTAM = -(forward + transposed), padded to 2 × (2+2):
        // (a,a) [[-12]]: [[0,-12,0,0],[inf,inf,inf,0]] -> C13 = min(-12,-12,inf) = -12 each way -> 24.
        // (a,b) [[-2,-2]]: forward all zeros -> 0; transposed [[-2],[-2]] -> [[0,-2,0,inf],[0,-2,0,0]]:
        //       row 0: 0,-2,-2,inf; C11 = -2-min(0,-2,0) = 0; C12 = 0+min(-2,0) = -2; C13 = 0+min(-2,inf,-2) = -2 -> 2.
        // (b,a) the same two directions swapped -> 2.
        // (b,b) [[-2,0],[0,-2]] -> [[0,-2,0,0],[0,0,0,0]]: row 0: 0,-2,-2,-2; C11 = 0-min(0,-2,0) = 2;
        //       C12 = 0+min(-2,2) = -2; C13 = -2; symmetric -> 4.
        Assert.Equal(new double[,] { { 24, 2 }, { 2, 4 } }, results[2].Scores);
        Assert.Equal(1.0, results[2].R1);
    }

    [Fact]
    public void BackgroundRemovedScoresMatchTheHandComputation()
    {
        // Input order v2 (2 captions, 2 windows), v1 (1 caption, 3 windows); sorted: v1 (k=0), v2 (k=1).
        // Lt = 2, Lv = 3.
        using var s = tensor(new float[,]
        {
            { 2, 0, 0, 1, 0 }, // v2 caption 0; columns 0-1 are v2's windows, 2-4 v1's
            { 0, 2, 0, 0, 1 }, // v2 caption 1
            { 0, 1, 1, 3, 0 }, // v1 caption 0
        });
        var layout = ParagraphLayout.FromVideoIds(new[] { "v2", "v1" }, new[] { 2, 1 }, new[] { 2, 3 });
        Assert.Equal(new ParagraphSpan("v1", 2, 1, 2, 3), layout.Videos[0]);
        Assert.Equal(new ParagraphBounds(2, 3), layout.Bounds);
        var results = ParagraphRetrieval.Evaluate(s, layout, ParagraphRetrieval.BackgroundRemoved);

        // Cap.Avg: (v1,v1) = 3, (v1,v2) = 1, (v2,v1) = mean(1,1) = 1, (v2,v2) = mean(2,2) = 2.
        Assert.Equal(new double[,] { { 3, 1 }, { 1, 2 } }, results[0].Scores);

        // DTW, D = 3 - S, keep int(1.3·captions) windows, scale 6/(rows·kept), pad to 2×3:
        // (v1,v1) D = [2,0,3], keep window 1 -> [[0]] -> [[0,0,0],[inf,0,0]] -> 0.
        // (v1,v2) D = [3,2], keep window 1 -> [[2]]·6 = [[12]] -> [[12,0,0],[inf,0,0]] -> C12 = 12 -> -12.
        // (v2,v1) D = [[3,2,3],[3,3,2]], μ = [3,2,2], keep 2 -> windows 1,2 -> [[2,3],[3,2]]·1.5
        //         -> [[3,4.5,inf],[4.5,3,0]]: C11 = 3+3 = 6, C12 = 0+min(7.5,6,inf) = 6 -> -6.
        // (v2,v2) D = [[1,3],[3,1]] ·1.5 -> [[1.5,4.5,inf],[4.5,1.5,0]]: C11 = 3, C12 = 3 -> -3.
        Assert.Equal(new double[,] { { 0, -12 }, { -6, -3 } }, results[1].Scores);
        Assert.Equal(1.0, results[1].R1);

        // OTAM, D = -S, same windows, scale max(2,3)/max(rows, kept), pad to 2 × (3+2):
        // (v1,v1) [[-3]]·3 = [[-9]] -> [[0,-9,0,0,0],[inf,inf,inf,0,0]] -> -9 each way -> 18.
        // (v1,v2) [[-1]]·3 = [[-3]] -> 6.
        // (v2,v1) windows 1,2 -> [[-1,0],[0,-1]]·1.5 -> [[0,-1.5,0,0,inf],[0,0,-1.5,0,0]]:
        //         row 0: 0,-1.5,-1.5,-1.5,inf; C11 = 0-(-1.5) = 1.5; C12 = -1.5+min(-1.5,1.5) = -3; C13 = -3;
        //         C14 = 0+min(-1.5,inf,-3) = -3; symmetric -> 6.
        // (v2,v2) [[-2,0],[0,-2]]·1.5 -> likewise C11 = 3, C12 = -6, C13 = -6, C14 = -6 -> 12.
        Assert.Equal(new double[,] { { 18, 6 }, { 6, 12 } }, results[2].Scores);
    }

    [Fact]
    public void EqualScoresRankTheLaterVideoFirst()
    {
        // A constant scorer ties everything: paragraph k has rank #{v > k}, so with 3 videos only the last is R@1.
        var layout = ParagraphLayout.FromCounts(new[] { 1, 1, 1 }, new[] { 1, 1, 1 });
        using var s = eye(3);
        var constant = new DelegateParagraphScorer("const", (in SimilarityBlock b, ParagraphBounds _) => 1.0);
        var r = ParagraphRetrieval.Evaluate(s, layout, new IParagraphScorer[] { constant }).Single();
        Assert.Equal("const", r.Scorer);
        Assert.Equal(1.0 / 3, r.R1, 12);
    }

    [Fact]
    public void APluggedScorerSeesEachBlockAndTheBounds()
    {
        // Score = the block's top-left similarity: (p, v) reads S[row of p's first caption, column of v's first clip].
        var layout = ParagraphLayout.FromCounts(new[] { 2, 1 }, new[] { 1, 3 });
        using var s = tensor(new float[,] { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 9, 10, 11, 12 } });
        var seen = new List<(int Rows, int Columns, ParagraphBounds Bounds)>();
        var corner = new DelegateParagraphScorer("corner", (in SimilarityBlock b, ParagraphBounds bounds) =>
        {
            seen.Add((b.Rows, b.Columns, bounds));
            return b[0, 0];
        });
        var r = ParagraphRetrieval.Evaluate(s, layout, new IParagraphScorer[] { corner }).Single();
        Assert.Equal(new double[,] { { 1, 2 }, { 9, 10 } }, r.Scores);
        Assert.Equal(new[] { (2, 1), (2, 3), (1, 1), (1, 3) }, seen.Select(x => (x.Rows, x.Columns)));
        Assert.All(seen, x => Assert.Equal(new ParagraphBounds(2, 3), x.Bounds));
    }

    [Fact]
    public void SimilarityBlockViewsAndCopies()
    {
        var b = SimilarityBlock.FromArray(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(new float[] { 4, 5, 6 }, b.Row(1).ToArray());
        using var t = b.ToTensor();
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.Equal(6f, t[1, 2].item<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => b[2, 0]);
    }

    [Fact]
    public void BadLayoutsAndMatricesAreRejected()
    {
        Assert.Contains("reappears", Assert.Throws<ArgumentException>(
            () => ParagraphLayout.FromSegmentVideoIds(new[] { "a", "b", "a" })).Message);
        Assert.Throws<ArgumentException>(() => ParagraphLayout.FromSegmentVideoIds(Array.Empty<string>()));
        Assert.Throws<ArgumentException>(() => ParagraphLayout.FromCounts(new[] { 1, 0 }, new[] { 1, 1 }));
        Assert.Throws<ArgumentException>(() => ParagraphLayout.FromCounts(new[] { 1 }, new[] { 1, 1 }));
        Assert.Contains("repeats", Assert.Throws<ArgumentException>(
            () => ParagraphLayout.FromVideoIds(new[] { "a", "a" }, new[] { 1, 1 }, new[] { 1, 1 })).Message);

        var layout = ParagraphLayout.FromCounts(new[] { 2, 2 }, new[] { 1, 1 });
        using var small = zeros(3, 2);
        Assert.Contains("4 × 2", Assert.Throws<ArgumentException>(
            () => ParagraphRetrieval.Evaluate(small, layout, ParagraphRetrieval.WithBackground)).Message);
        using var ok = zeros(4, 2);
        Assert.Throws<ArgumentException>(() => ParagraphRetrieval.Evaluate(ok, layout, Array.Empty<IParagraphScorer>()));
        Assert.Throws<ArgumentException>(() => new DtwScorer(new SequenceDistanceOptions(float.NaN, null, PathLengthScaling.AreaRatio)));
        Assert.Throws<ArgumentException>(() => DtwScorer.FullVideo.Score(SimilarityBlock.FromArray(new float[3, 1]), new ParagraphBounds(2, 2)));
    }
}
