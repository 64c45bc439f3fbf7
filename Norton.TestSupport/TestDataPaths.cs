namespace Norton.TestSupport;

/// <summary>
/// Where the tests' data lives: the repository's <c>testdata/</c> folder (golden vectors in <c>golden/</c>, model
/// fixtures in <c>fixtures/</c>; see testdata/README.md), plus the folders named by <c>NORTON_GOLDEN_DIRS</c> and
/// <c>NORTON_FIXTURE_DIRS</c>.
/// </summary>
public static class TestDataPaths
{
    /// <summary>Colon-separated extra golden folders (same layout as testdata/golden).</summary>
    public const string GoldenDirsVariable = "NORTON_GOLDEN_DIRS";

    /// <summary>Colon-separated extra fixture folders (same layout as testdata/fixtures: kind/fixture).</summary>
    public const string FixtureDirsVariable = "NORTON_FIXTURE_DIRS";

    private static readonly Lazy<string> Root = new(FindDirectory);

    /// <summary>The repository's <c>testdata/</c> folder, found by walking up from the test binary.</summary>
    /// <exception cref="DirectoryNotFoundException">No folder above the test binary has a testdata/ folder.</exception>
    public static string Directory => Root.Value;

    /// <summary>The repository root: the folder that holds <see cref="Directory"/>.</summary>
    public static string RepositoryRoot => Path.GetDirectoryName(Directory)!;

    /// <summary>The repository's golden vectors, <c>testdata/golden</c>.</summary>
    public static string GoldenDirectory => Path.Combine(Directory, "golden");

    /// <summary>The repository's model fixtures, <c>testdata/fixtures</c>.</summary>
    public static string FixturesDirectory => Path.Combine(Directory, "fixtures");

    /// <summary>The original's YAML configs, unchanged, <c>testdata/original-configs</c>.</summary>
    public static string OriginalConfigsDirectory => Path.Combine(Directory, "original-configs");

    /// <summary>testdata/golden followed by every <c>NORTON_GOLDEN_DIRS</c> folder (each must exist).</summary>
    public static IReadOnlyList<string> GoldenRoots() => Roots(GoldenDirectory, GoldenDirsVariable, "golden");

    /// <summary>testdata/fixtures followed by every <c>NORTON_FIXTURE_DIRS</c> folder (each must exist).</summary>
    public static IReadOnlyList<string> FixtureRoots() => Roots(FixturesDirectory, FixtureDirsVariable, "fixture");

    private static IReadOnlyList<string> Roots(string repositoryFolder, string variable, string what)
    {
        var roots = TestEnvironment.FoldersFrom(repositoryFolder, variable);
        foreach (string root in roots)
            if (!System.IO.Directory.Exists(root))
                throw new DirectoryNotFoundException(root == repositoryFolder
                    ? $"the repository's {what} folder '{root}' does not exist (is the clone complete?)"
                    : $"{what} folder '{root}' ({variable}) does not exist");
        return roots;
    }

    private static string FindDirectory()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            string candidate = Path.Combine(dir, "testdata");
            if (System.IO.Directory.Exists(Path.Combine(candidate, "golden")) || System.IO.Directory.Exists(Path.Combine(candidate, "fixtures")))
                return Path.GetFullPath(candidate);
        }
        throw new DirectoryNotFoundException(
            $"no testdata/ folder (with golden/ or fixtures/) in any folder above the test binary {AppContext.BaseDirectory}; " +
            "run the tests from a clone of the repository");
    }
}
