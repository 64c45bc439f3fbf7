using Norton.TestSupport;
using Xunit;

namespace Norton.Training.Tests;

/// <summary>
/// Where this assembly's golden cases live: <c>golden/&lt;kind&gt;</c> of the shared folder and <c>&lt;kind&gt;/</c> under
/// every folder of <c>NORTON_GOLDEN_DIRS</c> (colon-separated). The one place to change when the data moves.
/// </summary>
internal static class GoldenFolders
{
    /// <summary>Every <c>*.json</c> case of <paramref name="kind"/> (e.g. "sampler"), as theory rows of full paths.</summary>
    public static TheoryData<string> Cases(string kind)
    {
        var data = new TheoryData<string>();
        foreach (string file in Files(kind))
            data.Add(file);
        return data;
    }

    /// <summary>The case files of <paramref name="kind"/>, sorted within each folder.</summary>
    public static IReadOnlyList<string> Files(string kind)
    {
        var folders = new List<string> { Path.Combine(TestEnvironment.SharedDirectory, "golden", kind) };
        string? extra = Environment.GetEnvironmentVariable("NORTON_GOLDEN_DIRS");
        if (!string.IsNullOrWhiteSpace(extra))
            folders.AddRange(extra.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(f => Path.Combine(f, kind)).Where(Directory.Exists));
        var files = new List<string>();
        foreach (string folder in folders)
        {
            if (!Directory.Exists(folder))
                throw new DirectoryNotFoundException($"golden folder '{folder}' does not exist");
            files.AddRange(Directory.EnumerateFiles(folder, "*.json").OrderBy(f => f, StringComparer.Ordinal).Select(Path.GetFullPath));
        }
        return files;
    }
}
