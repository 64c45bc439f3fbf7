using Xunit;

namespace Norton.Training.Tests.Training;

public sealed class DynamicLossScalerTests
{
    [Fact]
    public void StartsAt128HalvesOnOverflowAndSkips()
    {
        var s = new DynamicLossScaler();
        Assert.Equal(128, s.Scale);
        Assert.False(s.Update(double.PositiveInfinity));
        Assert.Equal(64, s.Scale);
        Assert.False(s.Update(double.NaN));
        Assert.Equal(32, s.Scale);
        Assert.True(s.Update(1.5));
        Assert.Equal(32, s.Scale);
    }

    [Fact]
    public void DoublesAfter2000CleanUpdates()
    {
        var s = new DynamicLossScaler();
        for (int i = 0; i < 1999; i++) Assert.True(s.Update(1));
        Assert.Equal(128, s.Scale);
        s.Update(1);
        Assert.Equal(256, s.Scale);
        Assert.Equal(0, s.CleanUpdates);
        // An overflow resets the count.
        for (int i = 0; i < 1000; i++) s.Update(1);
        s.Update(double.PositiveInfinity);
        for (int i = 0; i < 1999; i++) s.Update(1);
        Assert.Equal(128, s.Scale);
    }

    [Fact]
    public void FailsClearlyBelowTheMinimum()
    {
        var s = new DynamicLossScaler(initialScale: 1, minimumScale: 0.5);
        s.Update(double.PositiveInfinity);
        var e = Assert.Throws<InvalidOperationException>(() => s.Update(double.PositiveInfinity));
        Assert.Contains("loss scale", e.Message);
    }
}
