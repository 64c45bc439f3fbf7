using Xunit;

namespace Norton.Training.Tests.Training;

public sealed class PolynomialDecayScheduleTests
{
    private static readonly PolynomialDecaySchedule Paper = new(1e-5, 1000, 1_000_000);

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(1, 1e-8)]
    [InlineData(500, 5e-6)]
    [InlineData(1000, 1e-5)]
    public void WarmupIsLinearFromZero(long n, double expected) =>
        Assert.Equal(expected, Paper.LearningRate(n), tolerance: 1e-18);

    [Theory]
    [InlineData(1001)]
    [InlineData(250_000)]
    [InlineData(999_999)]
    public void DecayIsLinearToZeroAtTheTotal(long n)
    {
        double expected = 1e-5 * (1 - (n - 1000) / 999_000.0);
        Assert.Equal(expected, Paper.LearningRate(n), tolerance: 1e-18);
    }

    [Theory]
    [InlineData(1_000_000)]
    [InlineData(2_000_000)]
    public void EndRateFromTheTotalOn(long n) => Assert.Equal(0.0, Paper.LearningRate(n));

    [Fact]
    public void PowerAndEndRateFollowFairseq()
    {
        var s = new PolynomialDecaySchedule(1.0, 10, 110, endLearningRate: 0.1, power: 2);
        Assert.Equal((1.0 - 0.1) * Math.Pow(1 - 40 / 100.0, 2) + 0.1, s.LearningRate(50), 15);
        Assert.Equal(0.1, s.LearningRate(110));
    }

    [Fact]
    public void NoWarmupStartsAtThePeak() => Assert.Equal(2.0, new PolynomialDecaySchedule(2.0, 0, 10).LearningRate(0));

    [Fact]
    public void ImpossibleSettingsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PolynomialDecaySchedule(-1e-5, 10, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PolynomialDecaySchedule(1e-5, 100, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PolynomialDecaySchedule(1e-5, 10, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Paper.LearningRate(-1));
    }
}
