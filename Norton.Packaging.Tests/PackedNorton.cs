using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace Norton.Packaging.Tests;

/// <summary>
/// Packs the libraries (<see cref="RepositoryLayout.PackageIds"/>) once for all tests of the collection, into a feed folder of
/// its own (<c>dotnet pack -c Release -p:PackageOutputPath=…</c>), and restores the repository's local tools.
/// </summary>
public sealed partial class PackedNorton : IDisposable
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(8);

    /// <summary>Packs; throws with the captured output when a step fails.</summary>
    public PackedNorton()
    {
        WorkRoot = Path.Combine(Path.GetTempPath(), $"norton-packaging-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Feed = Path.Combine(WorkRoot, "feed");
        Directory.CreateDirectory(Feed);
        Version = RepositoryLayout.NortonVersion;

        foreach (string id in RepositoryLayout.PackageIds)
        {
            var pack = ProcessRunner.Dotnet(RepositoryLayout.Root, PackTimeout, null,
                "pack", Path.Combine(id, id + ".csproj"), "-c", "Release", "--disable-build-servers", "-nologo",
                $"-p:PackageOutputPath={Feed}{Path.DirectorySeparatorChar}");
            Log.Add($"dotnet pack {id}: {pack.Elapsed.TotalSeconds:F1} s");
            if (!pack.Succeeded)
                throw new InvalidOperationException($"Packing {id} failed: {pack.Describe()}");
            PackOutputs[id] = pack.Output;
        }

        var tools = ProcessRunner.Dotnet(RepositoryLayout.Root, TimeSpan.FromMinutes(5), null, "tool", "restore");
        Log.Add($"dotnet tool restore: {tools.Elapsed.TotalSeconds:F1} s");
        if (!tools.Succeeded)
            throw new InvalidOperationException($"Restoring the local tools (.config/dotnet-tools.json) failed: {tools.Describe()}");

        var locals = ProcessRunner.Dotnet(RepositoryLayout.Root, TimeSpan.FromMinutes(1), null, "nuget", "locals", "global-packages", "--list");
        var match = GlobalPackagesLine().Match(locals.Output);
        if (!locals.Succeeded || !match.Success)
            throw new InvalidOperationException($"Could not find the NuGet global packages folder: {locals.Describe()}");
        MachinePackages = match.Groups[1].Value.Trim();
        TorchSharpVersion = DependencyVersion("Norton.Core", "TorchSharp");
    }

    /// <summary>A temporary folder for everything these tests write; deleted at the end.</summary>
    public string WorkRoot { get; }

    /// <summary>The folder with the fresh .nupkg/.snupkg files.</summary>
    public string Feed { get; }

    /// <summary>The version that every Norton package must carry (Directory.Build.props).</summary>
    public string Version { get; }

    /// <summary>The machine's NuGet global packages folder (read only: seeded folders link into it).</summary>
    public string MachinePackages { get; }

    /// <summary>The TorchSharp version Norton.Core depends on.</summary>
    public string TorchSharpVersion { get; }

    /// <summary>What each pack printed.</summary>
    public Dictionary<string, string> PackOutputs { get; } = new();

    /// <summary>Timings of the shared steps, for the test output.</summary>
    public List<string> Log { get; } = new();

    /// <summary>The path of a package file in the feed (symbols: <c>.snupkg</c>).</summary>
    public string PackagePath(string id, bool symbols = false) => Path.Combine(Feed, $"{id}.{Version}.{(symbols ? "snupkg" : "nupkg")}");

    /// <summary>The .nuspec of a packed package.</summary>
    public XDocument Nuspec(string id)
    {
        using var zip = ZipFile.OpenRead(PackagePath(id));
        var entry = zip.GetEntry(id + ".nuspec") ?? throw new InvalidOperationException($"{id}: no {id}.nuspec in the package.");
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    /// <summary>The version of a dependency in a packed package's nuspec (the same in every target-framework group).</summary>
    public string DependencyVersion(string id, string dependency)
    {
        var versions = Nuspec(id).Descendants().Where(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == dependency)
            .Select(e => (string)e.Attribute("version")!).Distinct().ToList();
        return versions.Count == 1 ? versions[0]
            : throw new InvalidOperationException($"{id} must depend on one version of {dependency}, but the nuspec lists [{string.Join(", ", versions)}].");
    }

    /// <summary>A new empty folder under <see cref="WorkRoot"/>.</summary>
    public string NewDirectory(string name)
    {
        string dir = Path.Combine(WorkRoot, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A fresh NuGet packages folder (see <see cref="SeededPackagesFolder"/>).</summary>
    public SeededPackagesFolder SeedPackages(string parent)
    {
        var clock = Stopwatch.StartNew();
        var folder = SeededPackagesFolder.Create(Path.Combine(parent, "nuget-packages"), MachinePackages, TorchSharpVersion);
        Log.Add($"seeded {folder.Path}: {clock.Elapsed.TotalSeconds:F1} s");
        return folder;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("NORTON_KEEP_PACKAGING_TEMP") == "1") return;
        try { SeededPackagesFolder.DeleteTree(WorkRoot); }
        catch (IOException) { /* a leftover temp folder is not a test failure */ }
        catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex(@"global-packages:\s*(.+)")]
    private static partial Regex GlobalPackagesLine();
}

/// <summary>The tests that share one <see cref="PackedNorton"/> (and so run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackedNorton>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Packed Norton";
}
