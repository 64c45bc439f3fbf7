using Norton.TestSupport;
using Xunit;

namespace Norton.Models.Tests;

public class FixtureDiscoveryTests
{
    public static TheoryData<string> S3DFixtures => Fixture.Folders("s3d");

    [Theory]
    [MemberData(nameof(S3DFixtures))]
    public void FixtureLoads(string folder)
    {
        using var fx = Fixture.Load(folder);
        Assert.True(fx.Has("output"), $"{fx.Name} has no 'output'");
        Assert.True(File.Exists(fx.WeightsPath), fx.WeightsPath);
    }
}
