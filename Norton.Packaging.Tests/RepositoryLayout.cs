using System.Xml.Linq;

namespace Norton.Packaging.Tests;

/// <summary>Where things are in this clone, and the versions its build files set (one place each).</summary>
internal static class RepositoryLayout
{
    /// <summary>The packages whose packing these tests check.</summary>
    public static readonly string[] PackageIds = ["Norton.Core", "Norton.Losses", "Norton.Models", "Norton.Evaluation"];

    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The folder that holds Norton.sln.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>samples/notebooks.</summary>
    public static string NotebooksDirectory => Path.Combine(Root, "samples", "notebooks");

    /// <summary>The one version of every Norton package (Directory.Build.props).</summary>
    public static string NortonVersion => SingleElement("Directory.Build.props", "Version");

    /// <summary>A central package version from Directory.Packages.props.</summary>
    public static string CentralVersion(string packageId)
    {
        var doc = XDocument.Load(Path.Combine(Root, "Directory.Packages.props"));
        var match = doc.Descendants("PackageVersion")
            .FirstOrDefault(e => string.Equals((string?)e.Attribute("Include"), packageId, StringComparison.OrdinalIgnoreCase));
        return (string?)match?.Attribute("Version")
            ?? throw new InvalidOperationException($"Directory.Packages.props has no PackageVersion for {packageId}.");
    }

    /// <summary>True when Directory.Packages.props pins this package.</summary>
    public static bool IsCentral(string packageId)
    {
        var doc = XDocument.Load(Path.Combine(Root, "Directory.Packages.props"));
        return doc.Descendants("PackageVersion")
            .Any(e => string.Equals((string?)e.Attribute("Include"), packageId, StringComparison.OrdinalIgnoreCase));
    }

    private static string SingleElement(string file, string name)
    {
        var values = XDocument.Load(Path.Combine(Root, file)).Descendants(name).Select(e => e.Value.Trim()).Distinct().ToList();
        return values.Count == 1
            ? values[0]
            : throw new InvalidOperationException($"{file} must set <{name}> exactly once, but sets it to [{string.Join(", ", values)}].");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Norton.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No Norton.sln above {AppContext.BaseDirectory}.");
    }
}
