using Norton.Core.Native;
using Xunit;
using Xunit.Abstractions;

namespace Norton.Packaging.Tests;

/// <summary>
/// Every notebook in samples/notebooks runs headless with dotnet-repl against the freshly packed packages, with a
/// fresh NuGet folder (TorchSharp as shipped, unpatched), and no cell may fail; the NuGet folder stays as shipped.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class NotebookTests(PackedNorton packed, ITestOutputHelper log)
{
    private static readonly TimeSpan NotebookTimeout = TimeSpan.FromMinutes(6);

    public static TheoryData<string> Notebooks => new(
        Directory.GetFiles(RepositoryLayout.NotebooksDirectory, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Fact]
    public void The_documented_notebooks_exist()
    {
        foreach (string name in new[] { "quickstart.ipynb", "sinkhorn-and-the-prompt-bucket.ipynb", "loading-a-pretrained-checkpoint.ipynb" })
            Assert.True(File.Exists(Path.Combine(RepositoryLayout.NotebooksDirectory, name)), $"samples/notebooks/{name} is missing");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_references_the_versions_the_repository_builds(string name)
    {
        var references = NotebookRun.PackageReferences(Path.Combine(RepositoryLayout.NotebooksDirectory, name));
        Assert.Contains(references, r => r.Id.StartsWith("Norton.", StringComparison.Ordinal));
        foreach (var (id, version) in references)
        {
            string? expected = id.StartsWith("Norton.", StringComparison.Ordinal) ? packed.Version
                : RepositoryLayout.IsCentral(id) ? RepositoryLayout.CentralVersion(id) : null;
            Assert.True(expected is null || expected == version,
                $"{name} references {id} {version}, but the repository builds {id} {expected}: update the notebook's #r line.");
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_runs_headless_without_a_failing_cell(string name)
    {
        string work = packed.NewDirectory(Path.GetFileNameWithoutExtension(name));
        var packages = packed.SeedPackages(work);
        bool trapArmed = packages.TrapArmed;
        byte[]? shippedGlue = packages.UnpatchedLibTorchSharp is null ? null : File.ReadAllBytes(packages.UnpatchedLibTorchSharp);
        string executed = Path.Combine(work, name);
        string home = Path.Combine(work, "home");
        Directory.CreateDirectory(home);
        var env = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = packages.Path,
            // `#r "nuget: Norton.*"` finds the packed feed the way a user's NuGet source list would.
            ["RestoreAdditionalProjectSources"] = packed.Feed,
            // The `#r "nuget:"` resolver caches resolved paths per package list in ~/.packagemanagement, whatever the
            // packages folder: a home of its own keeps a run from reusing another run's (or a user's) packages.
            ["HOME"] = home,
            ["DOTNET_CLI_HOME"] = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
            // Where the setup call's run-time fallback keeps its fixed private copy (by default the per-user cache).
            ["NORTON_NATIVE_CACHE"] = Path.Combine(work, "native-cache"),
        };

        // Run from the notebook's folder, as an editor does; `dotnet dotnet-repl` finds the repository's tool manifest.
        var run = ProcessRunner.Dotnet(RepositoryLayout.NotebooksDirectory, NotebookTimeout, env,
            "dotnet-repl", "--run", Path.Combine(RepositoryLayout.NotebooksDirectory, name), "--exit-after-run", "--output-path", executed);
        log.WriteLine($"{run.CommandLine}: {run.Elapsed.TotalSeconds:F1} s");

        Assert.True(File.Exists(executed), $"dotnet-repl wrote no executed notebook (a crash?). {run.Describe()}");
        var result = NotebookRun.Read(executed);
        var errors = result.Errors.ToList();
        Assert.True(errors.Count == 0, $"{name}: {errors.Count} failing cell(s):\n{string.Join("\n\n", errors)}\n\n{run.Describe(4000)}");
        Assert.True(run.Succeeded, $"{name}: no failing cell, but dotnet-repl did not succeed. {run.Describe()}");

        // The setup cell loaded the packaged libtorch of this run's NuGet folder (it throws itself if another one
        // is mapped); TorchSharp's native glue loaded from a fixed private copy, never by changing the package cache.
        string expectedLibTorch = Path.Combine(packages.Path, "libtorch-cpu-linux-x64");
        Assert.True(result.AllText.Contains($"libtorch: {expectedLibTorch}", StringComparison.Ordinal),
            $"{name}: the setup cell did not report libtorch from {expectedLibTorch}. Printed:\n{result.AllText}");
        if (shippedGlue is not null)
            Assert.True(shippedGlue.AsSpan().SequenceEqual(File.ReadAllBytes(packages.UnpatchedLibTorchSharp!)),
                $"{name} changed the NuGet package cache's {packages.UnpatchedLibTorchSharp}");
        if (trapArmed)
            Assert.True(Directory.Exists(Path.Combine(work, "native-cache")), $"{name} ran, but no fixed private copy was written.");
    }
}
