using Norton.TestSupport;
using Xunit;

namespace Norton.Core.Tests;

/// <summary>NORTON_GOLDEN_DIRS / NORTON_FIXTURE_DIRS add cases without code changes.</summary>
public class CaseDiscoveryTests
{

    [Fact]
    public void GoldenDirsFromTheEnvironmentAreRead()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"norton-golden-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        string? before = Environment.GetEnvironmentVariable("NORTON_GOLDEN_DIRS");
        try
        {
            string source = GoldenCase.All("sinkhorn_").First().Path;
            File.Copy(source, Path.Combine(dir, "zz_extra_case.json"));
            File.WriteAllText(Path.Combine(dir, "index.json"), "{}");
            Environment.SetEnvironmentVariable("NORTON_GOLDEN_DIRS", dir + ":");
            var names = GoldenCase.All("sinkhorn_").Select(r => r.Name).ToList();
            Assert.Contains("zz_extra_case", names);
            Assert.DoesNotContain("index", names);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NORTON_GOLDEN_DIRS", before);
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void MissingGoldenDirIsAClearError()
    {
        string? before = Environment.GetEnvironmentVariable("NORTON_GOLDEN_DIRS");
        try
        {
            Environment.SetEnvironmentVariable("NORTON_GOLDEN_DIRS", "/nonexistent/norton-golden");
            var ex = Assert.Throws<DirectoryNotFoundException>(() => GoldenCase.Paths("sinkhorn_"));
            Assert.Contains("/nonexistent/norton-golden", ex.Message);
        }
        finally { Environment.SetEnvironmentVariable("NORTON_GOLDEN_DIRS", before); }
    }

    [Fact]
    public void FixtureDirsFromTheEnvironmentAreRead()
    {
        string root = Path.Combine(Path.GetTempPath(), $"norton-fixtures-{Guid.NewGuid():N}");
        string folder = Path.Combine(root, "s3d", "my_extra_fixture");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "meta.json"), "{}");
        string? before = Environment.GetEnvironmentVariable("NORTON_FIXTURE_DIRS");
        try
        {
            Environment.SetEnvironmentVariable("NORTON_FIXTURE_DIRS", root);
            var names = Fixture.All("s3d").Select(r => r.Name).ToList();
            Assert.Contains("my_extra_fixture", names);
            Assert.Contains("s3d_seed0_1x3x16x112x112", names);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NORTON_FIXTURE_DIRS", before);
            Directory.Delete(root, true);
        }
    }
}
