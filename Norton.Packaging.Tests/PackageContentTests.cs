using System.IO.Compression;
using Xunit;

namespace Norton.Packaging.Tests;

/// <summary>What <c>dotnet pack</c> puts into each package: README, licence, XML docs, symbols, version, dependencies.</summary>
[Collection(PackagingCollection.Name)]
public sealed class PackageContentTests(PackedNorton packed)
{
    // What a consumer needs and no more: the managed TorchSharp (the backend is the application's choice) and,
    // for Models, its tokenizer and its checkpoint reader (not Norton.Losses: the loss input types live in Norton.Core);
    // for Evaluation, the model and the YAML reader of the original's configs.
    private static readonly Dictionary<string, string[]> ExpectedDependencies = new()
    {
        ["Norton.Core"] = ["TorchSharp"],
        ["Norton.Losses"] = ["Norton.Core", "TorchSharp"],
        ["Norton.Models"] = ["Microsoft.ML.Tokenizers", "Norton.Core", "TorchSharp", "TorchSharp.PyBridge"],
        ["Norton.Evaluation"] = ["Norton.Core", "Norton.Models", "TorchSharp", "YamlDotNet"],
    };

    public static TheoryData<string> Packages => new(RepositoryLayout.PackageIds);

    [Theory]
    [MemberData(nameof(Packages))]
    public void Package_has_readme_licence_docs_and_symbols(string id)
    {
        Assert.True(File.Exists(packed.PackagePath(id)), $"{id}: {packed.PackagePath(id)} was not made. Feed holds: {string.Join(", ", Directory.GetFiles(packed.Feed).Select(Path.GetFileName))}");
        Assert.True(File.Exists(packed.PackagePath(id, symbols: true)), $"{id}: no symbol package (.snupkg).");

        using var zip = ZipFile.OpenRead(packed.PackagePath(id));
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        foreach (string required in new[] { "PACKAGE.md", "LICENSE", "THIRD-PARTY-NOTICES.md" })
            Assert.True(names.Contains(required), $"{id}: {required} missing; entries: {string.Join(", ", names)}");
        foreach (string tfm in new[] { "net8.0", "net10.0" })
        {
            Assert.Contains($"lib/{tfm}/{id}.dll", names);
            Assert.Contains($"lib/{tfm}/{id}.xml", names);
        }

        string readme = new StreamReader(zip.GetEntry("PACKAGE.md")!.Open()).ReadToEnd();
        Assert.Contains("## How to use", readme);
        Assert.Contains("libtorch-cpu-linux-x64", readme); // says which backend to add

        var metadata = packed.Nuspec(id).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
        Assert.Equal(packed.Version, Field("version"));
        Assert.Equal("PACKAGE.md", Field("readme"));
        Assert.Equal("MIT", Field("license"));
        Assert.False(string.IsNullOrWhiteSpace(Field("description")), $"{id}: empty description");
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.StartsWith("https://github.com/", (string?)repository.Attribute("url"));
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Package_depends_on_managed_TorchSharp_only_and_on_one_Norton_version(string id)
    {
        var dependencies = packed.Nuspec(id).Descendants().Where(e => e.Name.LocalName == "dependency").ToList();
        var ids = dependencies.Select(d => (string)d.Attribute("id")!).Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(ExpectedDependencies[id], ids);
        foreach (var d in dependencies)
        {
            string dep = (string)d.Attribute("id")!, version = (string)d.Attribute("version")!;
            string expected = dep.StartsWith("Norton.", StringComparison.Ordinal) ? packed.Version : RepositoryLayout.CentralVersion(dep);
            Assert.True(expected == version, $"{id} depends on {dep} {version}; expected {expected}.");
        }
        // Both target frameworks list the same dependencies.
        var groups = packed.Nuspec(id).Descendants().Where(e => e.Name.LocalName == "group")
            .Select(g => string.Join(",", g.Elements().Select(e => (string)e.Attribute("id")!).Order(StringComparer.Ordinal))).Distinct().ToList();
        Assert.Single(groups);
    }

    [Fact]
    public void Core_ships_the_native_load_fix_for_consumer_builds()
    {
        using var zip = ZipFile.OpenRead(packed.PackagePath("Norton.Core"));
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        foreach (string file in new[] { "buildTransitive/Norton.Core.targets", "buildTransitive/Norton.TorchSharpNative.targets", "buildTransitive/LibTorchSharpPatcher.cs" })
            Assert.True(names.Contains(file), $"Norton.Core: {file} missing; entries: {string.Join(", ", names)}");
    }

    [Fact]
    public void Packing_is_clean_of_warnings()
    {
        foreach (var (id, output) in packed.PackOutputs)
        {
            var warnings = output.Split('\n').Where(l => l.Contains(": warning ", StringComparison.Ordinal)).Distinct().ToList();
            Assert.True(warnings.Count == 0, $"dotnet pack {id} warned:\n{string.Join("\n", warnings)}");
        }
    }
}
