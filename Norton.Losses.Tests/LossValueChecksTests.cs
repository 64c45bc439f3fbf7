using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Losses.Tests;

/// <summary>The batched value checks keep nothing of a check but its flag.</summary>
public class LossValueChecksTests
{
    [Fact]
    public void OnlyTheFlagOfACheckOutlivesIt()
    {
        using var scope = NewDisposeScope();
        var features = randn(64, 32);
        var checks = new LossValueChecks(enabled: true);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        // Three input-sized temporaries (isfinite, logical_not) and scalars (any); only the flag may stay alive.
        checks.Add(() => features.isfinite().logical_not().any(), () => throw new InvalidOperationException("no report expected"));
        Assert.Equal(before + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.Empty(checks.Read());
    }

    [Fact]
    public void AFlaggedCheckStillReports()
    {
        using var scope = NewDisposeScope();
        var features = randn(64, 32);
        features[5, 7] = tensor(double.NaN, dtype: ScalarType.Float32);
        var checks = new LossValueChecks(enabled: true);
        checks.Add(() => features.isfinite().logical_not().any(), () => throw new ArgumentException("bad features", "features"));
        var e = Assert.Throws<ArgumentException>(() => checks.Read());
        Assert.Equal("features", e.ParamName);
    }
}
