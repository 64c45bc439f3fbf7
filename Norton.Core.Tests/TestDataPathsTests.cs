using Norton.TestSupport;
using Xunit;

namespace Norton.Core.Tests;

/// <summary>The tests read the repository's own testdata/ (no folder outside the clone), plus NORTON_*_DIRS.</summary>
public class TestDataPathsTests
{
    [Fact]
    public void TestDataIsTheRepositorysOwnFolder()
    {
        // The folder holding the solution file: testdata/ is inside the clone, not beside it.
        Assert.True(File.Exists(Path.Combine(TestDataPaths.RepositoryRoot, "Norton.sln")), TestDataPaths.RepositoryRoot);
        Assert.Equal(Path.Combine(TestDataPaths.RepositoryRoot, "testdata"), TestDataPaths.Directory);
        Assert.Equal(TestDataPaths.Directory, TestEnvironment.SharedDirectory);
        Assert.StartsWith(TestDataPaths.GoldenDirectory, GoldenCase.All("sinkhorn_").First().Path, StringComparison.Ordinal);
        Assert.StartsWith(TestDataPaths.FixturesDirectory, Fixture.All("s3d").First().Path, StringComparison.Ordinal);
    }

    [Fact]
    public void SubfolderCasesListEveryFileAndFolderButTheDocs()
    {
        // testdata/golden/sampler: 8 traces (sampler00..07) and a README; downstream: 5 task folders and a README.
        var sampler = GoldenCases.All("sampler").Select(r => r.Name).ToList();
        Assert.Equal(8, sampler.Count);
        Assert.All(sampler, n => Assert.StartsWith("sampler0", n, StringComparison.Ordinal));
        Assert.Equal(sampler.Order(StringComparer.Ordinal), sampler);
        Assert.Equal(3, Names(GoldenCases.Files("retrieval")).Count);
        Assert.Equal(new[] { "coin", "vtt", "vttqa", "youcook", "youcook_fullvideo_bg" },
            Names(GoldenCases.Subfolders("downstream")));
        Assert.Empty(GoldenCases.All("no-such-subfolder"));
        Assert.Throws<ArgumentException>(() => GoldenCases.All("../fixtures"));
    }

    [Fact]
    public void SubfolderCasesAlsoComeFromGoldenDirs()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"norton-golden-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(dir, "sampler"));
        File.WriteAllText(Path.Combine(dir, "sampler", "zz_extra_trace.json"), "{}");
        string? before = Environment.GetEnvironmentVariable(TestDataPaths.GoldenDirsVariable);
        try
        {
            Environment.SetEnvironmentVariable(TestDataPaths.GoldenDirsVariable, dir);
            var rows = GoldenCases.All("sampler");
            Assert.Equal(9, rows.Count);
            Assert.Equal("zz_extra_trace", rows[^1].Name);
            Assert.Equal(new[] { TestDataPaths.GoldenDirectory + "/sampler", dir + "/sampler" }, GoldenCases.Roots("sampler"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(TestDataPaths.GoldenDirsVariable, before);
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void FixtureSubfoldersAlsoComeFromFixtureDirs()
    {
        string root = Path.Combine(Path.GetTempPath(), $"norton-fixtures-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, "s3d", "extra"));
        string? before = Environment.GetEnvironmentVariable(TestDataPaths.FixtureDirsVariable);
        try
        {
            Environment.SetEnvironmentVariable(TestDataPaths.FixtureDirsVariable, root);
            var names = Names(FixtureCases.Folder("s3d"));
            Assert.Equal(new[] { "s3d_seed0_1x3x16x112x112", "s3d_seed0_2x3x8x64x64", "extra" }, names);
            Environment.SetEnvironmentVariable(TestDataPaths.FixtureDirsVariable, Path.Combine(root, "missing"));
            var ex = Assert.Throws<DirectoryNotFoundException>(() => FixtureCases.Folder("s3d"));
            Assert.Contains("NORTON_FIXTURE_DIRS", ex.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TestDataPaths.FixtureDirsVariable, before);
            Directory.Delete(root, true);
        }
    }

    private static List<string> Names(TheoryData<CaseRef> rows) =>
        ((IEnumerable<object[]>)rows).Select(r => ((CaseRef)r[0]).Name).ToList();
}
