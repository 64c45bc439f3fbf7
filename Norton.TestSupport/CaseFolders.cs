namespace Norton.TestSupport;

// Listing rules shared by GoldenCases and FixtureCases.
internal static class CaseFolders
{
    private static readonly HashSet<string> NotCases = new(StringComparer.Ordinal) { "index.json", "README.md", "FORMAT.md" };

    public static IReadOnlyList<string> Sub(IReadOnlyList<string> roots, string subfolder)
    {
        if (string.IsNullOrWhiteSpace(subfolder) || Path.IsPathRooted(subfolder) || subfolder.Split('/', '\\').Contains(".."))
            throw new ArgumentException($"expected a subfolder name such as 'sampler', got '{subfolder}'", nameof(subfolder));
        return roots.Select(r => Path.GetFullPath(Path.Combine(r, subfolder))).Where(Directory.Exists).ToList();
    }

    public static IReadOnlyList<CaseRef> Entries(IReadOnlyList<string> folders, bool includeFiles, bool includeFolders)
    {
        var rows = new List<CaseRef>();
        foreach (string folder in folders)
        {
            var entries = new List<string>();
            if (includeFiles)
                entries.AddRange(Directory.EnumerateFiles(folder)
                    .Where(f => !NotCases.Contains(Path.GetFileName(f)) && !Path.GetFileName(f).StartsWith('.')));
            if (includeFolders)
                entries.AddRange(Directory.EnumerateDirectories(folder));
            rows.AddRange(entries.OrderBy(e => e, StringComparer.Ordinal).Select(e => new CaseRef(Path.GetFullPath(e))));
        }
        return rows;
    }
}
