using Norton.Evaluation.Alignment;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Evaluation.Tests.Alignment;

public sealed class ZeroShotAlignerTests
{
    private static Tensor Matrix(double[,] values) => tensor(values, dtype: ScalarType.Float64);

    [Fact]
    public void ClearlyAlignedVideoGivesTheDiagonal()
    {
        // Caption i matches clip i (0.9), nothing else (0.1); p = 0.5 lies between.
        var s = new double[4, 4];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                s[i, j] = i == j ? 0.9 : 0.1;
        using var sim = Matrix(s);
        using var a = new ZeroShotAligner(0.5).Align(sim);

        Assert.Equal(new[] { 0, 1, 2, 3 }, a.CaptionClips);
        Assert.All(a.BackgroundClips, Assert.False);
        Assert.Equal(4, a.AlignedCaptions);
        // Most of each caption's unit of mass is on its own clip, the rest mainly in the bucket (0.5 > 0.1).
        var plan = a.AugmentedPlan.data<double>().ToArray();
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 5; j++)
            {
                double v = plan[i * 5 + j];
                if (j == i) Assert.True(v > 0.7, $"plan[{i},{i}] = {v}");
                else if (j < 4) Assert.True(v < 0.02, $"plan[{i},{j}] = {v}");
            }
    }

    [Fact]
    public void ClearlyAlignedFeaturesGiveTheDiagonalWhateverTheirNorms()
    {
        // Orthogonal directions; the norms differ wildly but cosine ignores them.
        using var clips = eye(3, 5, dtype: ScalarType.Float32) * tensor(new float[] { 1, 10, 100 }).unsqueeze(1);
        using var captions = eye(3, 5, dtype: ScalarType.Float32) * tensor(new float[] { 50, 0.5f, 2 }).unsqueeze(1);
        using var a = new ZeroShotAligner(0.5).Align(clips, captions);

        Assert.Equal(new[] { 0, 1, 2 }, a.CaptionClips);
        Assert.Equal(ScalarType.Float32, a.Plan.dtype);
        Assert.Equal(new long[] { 3, 3 }, a.Similarity.shape);
        Assert.Equal(1.0, a.Similarity[1, 1].item<float>(), 6);
        Assert.Equal(0.0, a.Similarity[1, 2].item<float>(), 6);
    }

    [Fact]
    public void UnrelatedCaptionGoesToTheBucket()
    {
        // Three captions describe the three clips; caption 3 resembles none of them (0.0 < p = 0.4).
        var s = new double[,]
        {
            { 0.9, 0.1, 0.0 },
            { 0.1, 0.8, 0.1 },
            { 0.0, 0.1, 0.9 },
            { 0.0, 0.05, 0.0 },
        };
        using var sim = Matrix(s);
        using var a = new ZeroShotAligner(0.4).Align(sim);

        Assert.Equal(new[] { 0, 1, 2, -1 }, a.CaptionClips);
        Assert.All(a.BackgroundClips, Assert.False);
        var row = a.AugmentedPlan[3].data<double>().ToArray();
        Assert.True(row[3] > 0.9, $"bucket share of caption 3 = {row[3]}");
    }

    [Fact]
    public void BackgroundClipIsFlagged()
    {
        // Four clips, three captions; clip 2 (e.g. an intro or an unrelated scene) matches no caption.
        var s = new double[,]
        {
            { 0.9, 0.1, 0.0, 0.1 },
            { 0.1, 0.9, 0.0, 0.1 },
            { 0.0, 0.1, 0.05, 0.8 },
        };
        using var sim = Matrix(s);
        using var a = new ZeroShotAligner(0.4).Align(sim);

        Assert.Equal(new[] { false, false, true, false }, a.BackgroundClips);
        Assert.Equal(new[] { 0, 1, 3 }, a.CaptionClips);
    }

    [Theory]
    [InlineData(0.9, 0.5, 0.1)]
    [InlineData(0.2, 0.5, 0.1)]
    [InlineData(0.5, 0.5, 0.05)]
    [InlineData(-0.3, 0.1, 0.2)]
    public void OneCaptionOneClipMatchesTheClosedForm(double s, double p, double epsilon)
    {
        // Augmented 2x2 problem [[s, p], [p, p]] with marginals (1/2, 1/2) both ways: the optimal plan is
        // [[x, 1/2 - x], [1/2 - x, x]] with x^2 / (1/2 - x)^2 = exp((s - p) / epsilon), so the caption's aligned share
        // (m+n) x = sigmoid((s - p) / (2 epsilon)) and its transport value share * s + (1 - share) * p.
        double share = 1 / (1 + Math.Exp(-(s - p) / (2 * epsilon)));
        using var sim = Matrix(new[,] { { s } });
        using var a = new ZeroShotAligner(p, epsilon, iterations: 500).Align(sim);

        Assert.Equal(share, a.Plan.item<double>(), 9);
        Assert.Equal(1 - share, a.AugmentedPlan[0, 1].item<double>(), 9);
        Assert.Equal(share * s + (1 - share) * p, a.TransportValue, 9);
        if (s != p) Assert.Equal(s > p ? 0 : -1, a.CaptionClips[0]);
    }

    [Fact]
    public void RealRowsAndColumnsOfTheAugmentedPlanSumToOne()
    {
        using var sim = torch.rand(5, 7, generator: new Generator(3), dtype: ScalarType.Float64) * 2 - 1;
        Assert.Equal(ScalarType.Float64, sim.dtype);
        using var a = new ZeroShotAligner(0.2, iterations: 2000).Align(sim);
        Assert.Equal(ScalarType.Float64, a.AugmentedPlan.dtype);
        var rows = a.AugmentedPlan.narrow(0, 0, 5).sum([1L]).data<double>().ToArray();
        var columns = a.AugmentedPlan.narrow(1, 0, 7).sum([0L]).data<double>().ToArray();
        Assert.All(rows, r => Assert.Equal(1.0, r, 6));
        Assert.All(columns, c => Assert.Equal(1.0, c, 6));
    }

    [Fact]
    public void BucketFromPairsIsTheKthSmallestPairCosine()
    {
        // Pair cosines: clip e0 with captions at angles whose cosines are 1, 0.5, 0, -0.5, -1, 0.8, 0.2, 0.6, 0.9, 0.3.
        double[] cosines = { 1, 0.5, 0, -0.5, -1, 0.8, 0.2, 0.6, 0.9, 0.3 };
        var clips = new double[10, 2];
        var captions = new double[10, 2];
        for (int i = 0; i < 10; i++)
        {
            clips[i, 0] = 2;
            captions[i, 0] = 3 * cosines[i];
            captions[i, 1] = 3 * Math.Sqrt(1 - cosines[i] * cosines[i]);
        }
        using var v = Matrix(clips);
        using var t = Matrix(captions);
        // k = int(0.3 * 10) = 3: the third smallest of the cosines is 0.
        Assert.Equal(0.0, ZeroShotAligner.BucketFromPairs(v, t, 0.3), 9);
        // k = int(0.5 * 10) = 5: 0.3.
        Assert.Equal(0.3, ZeroShotAligner.BucketFromPairs(v, t, 0.5), 9);
    }

    [Fact]
    public void DoesNotLeakTensors()
    {
        using var sim = rand(8, 8, generator: new Generator(1));
        using (new ZeroShotAligner(0.3).Align(sim)) { }
        using var scope = NewDisposeScope();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (new ZeroShotAligner(0.3).Align(sim)) { }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void BadInputIsRejectedWithItsName()
    {
        Assert.Contains("bucketValue", Assert.Throws<ArgumentOutOfRangeException>(() => new ZeroShotAligner(double.NaN)).Message);
        Assert.Contains("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new ZeroShotAligner(0.3, epsilon: 0)).Message);
        Assert.Contains("iterations", Assert.Throws<ArgumentOutOfRangeException>(() => new ZeroShotAligner(0.3, iterations: 0)).Message);
        var aligner = new ZeroShotAligner(0.3);
        using var vector = zeros(4);
        Assert.Contains("similarity", Assert.Throws<ArgumentException>(() => aligner.Align(vector)).Message);
        using var nan = full(2, 2, double.NaN);
        Assert.Contains("similarity", Assert.Throws<ArgumentException>(() => aligner.Align(nan)).Message);
        using var clips = ones(3, 4);
        using var captions = ones(2, 5);
        Assert.Contains("feature size", Assert.Throws<ArgumentException>(() => aligner.Align(clips, captions)).Message);
        using var zeroRow = cat([ones(1, 4), zeros(1, 4)]);
        Assert.Contains("all zeros", Assert.Throws<ArgumentException>(() => aligner.Align(clips, zeroRow)).Message);
        using var longer = ones(4, 4);
        Assert.Contains("same shape", Assert.Throws<ArgumentException>(() => ZeroShotAligner.BucketFromPairs(clips, longer)).Message);
    }
}
