using Xunit;

namespace Norton.TestSupport;

/// <summary>
/// Fixture folders of one kind (<c>s3d</c>, <c>videoclip-text</c>, ...) or of one subfolder of testdata/fixtures, read
/// from the repository and from every <c>NORTON_FIXTURE_DIRS</c> folder.
/// </summary>
public static class FixtureCases
{
    /// <summary>
    /// Every entry of <paramref name="subfolder"/> as theory rows: each folder and each data file (README.md and
    /// index.json excluded), sorted by name within each root. For model fixtures use <see cref="Fixture.Folders"/>,
    /// which keeps only folders with a meta.json.
    /// </summary>
    public static TheoryData<CaseRef> Folder(string subfolder) =>
        new(CaseFolders.Entries(Roots(subfolder), includeFiles: true, includeFolders: true));

    /// <summary>
    /// The existing folders <c>testdata/fixtures/&lt;subfolder&gt;</c> and <c>&lt;dir&gt;/&lt;subfolder&gt;</c> for
    /// each <c>NORTON_FIXTURE_DIRS</c> dir, in that order.
    /// </summary>
    public static IReadOnlyList<string> Roots(string subfolder) => CaseFolders.Sub(TestDataPaths.FixtureRoots(), subfolder);
}
