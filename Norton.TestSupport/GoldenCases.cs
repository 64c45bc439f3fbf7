using Xunit;

namespace Norton.TestSupport;

/// <summary>
/// Golden cases of one subfolder of testdata/golden (<c>sampler</c>, <c>retrieval</c>, <c>downstream</c>, ...), read
/// from the repository and from <c>&lt;dir&gt;/&lt;subfolder&gt;</c> of every <c>NORTON_GOLDEN_DIRS</c> folder.
/// </summary>
/// <remarks>The top-level cases (Sinkhorn, Norton loss) are selected by kind with <see cref="GoldenCase.Paths"/>.</remarks>
public static class GoldenCases
{
    /// <summary>
    /// Every case of <paramref name="subfolder"/> as theory rows: each file (index.json, README.md, FORMAT.md excluded)
    /// and each folder (e.g. downstream/coin), sorted by name within each root.
    /// </summary>
    public static TheoryData<CaseRef> Folder(string subfolder) => new(All(subfolder));

    /// <summary>The same rows as <see cref="Folder"/>, as a list.</summary>
    public static IReadOnlyList<CaseRef> All(string subfolder) =>
        CaseFolders.Entries(Roots(subfolder), includeFiles: true, includeFolders: true);

    /// <summary>Only the files of <paramref name="subfolder"/> (index.json, README.md, FORMAT.md excluded), as theory rows.</summary>
    public static TheoryData<CaseRef> Files(string subfolder) =>
        new(CaseFolders.Entries(Roots(subfolder), includeFiles: true, includeFolders: false));

    /// <summary>Only the folders inside <paramref name="subfolder"/> (e.g. the downstream tasks), as theory rows.</summary>
    public static TheoryData<CaseRef> Subfolders(string subfolder) =>
        new(CaseFolders.Entries(Roots(subfolder), includeFiles: false, includeFolders: true));

    /// <summary>
    /// The existing folders <c>testdata/golden/&lt;subfolder&gt;</c> and <c>&lt;dir&gt;/&lt;subfolder&gt;</c> for each
    /// <c>NORTON_GOLDEN_DIRS</c> dir, in that order.
    /// </summary>
    public static IReadOnlyList<string> Roots(string subfolder) => CaseFolders.Sub(TestDataPaths.GoldenRoots(), subfolder);
}
