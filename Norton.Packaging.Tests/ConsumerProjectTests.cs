using System.Globalization;
using Norton.Core.Native;
using Xunit;
using Xunit.Abstractions;

namespace Norton.Packaging.Tests;

/// <summary>
/// A consumer's view: a fresh console project, <c>dotnet add package Norton.Losses</c> from the packed feed plus the
/// CPU backend, a program that calls <c>NortonLoss.Forward</c>, <c>dotnet run</c>.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class ConsumerProjectTests(PackedNorton packed, ITestOutputHelper log)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void Fresh_console_project_adds_Norton_Losses_and_runs_NortonLoss_forward()
    {
        string work = packed.NewDirectory("consumer");
        var packages = packed.SeedPackages(work);
        string libtorchVersion = RepositoryLayout.CentralVersion("libtorch-cpu-linux-x64");
        // The consumer's NuGet settings: our feed added to the machine's sources, and the seeded packages folder.
        File.WriteAllText(Path.Combine(work, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{packages.Path}" /></config>
              <packageSources><add key="norton-packed" value="{packed.Feed}" /></packageSources>
            </configuration>
            """);
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages.Path };
        string app = Path.Combine(work, "app");

        Step(ProcessRunner.Dotnet(work, StepTimeout, env, "new", "console", "-o", "app", "--framework", "net10.0", "--no-restore"));
        Step(ProcessRunner.Dotnet(app, StepTimeout, env, "add", "package", "Norton.Losses", "--version", packed.Version));
        Step(ProcessRunner.Dotnet(app, StepTimeout, env, "add", "package", "libtorch-cpu-linux-x64", "--version", libtorchVersion));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Consumer", "Program.cs"), Path.Combine(app, "Program.cs"), overwrite: true);

        bool trapArmed = packages.TrapArmed;
        // The package cache's copy of TorchSharp's native glue must stay as shipped through the build and both runs.
        string? cacheHash = packages.UnpatchedLibTorchSharp is null ? null : Sha256(packages.UnpatchedLibTorchSharp);
        var build = Step(ProcessRunner.Dotnet(app, StepTimeout, env, "build", "-c", "Release", "-v:n", "--disable-build-servers", "-nologo"));
        AssertCacheUnchanged(packages, cacheHash, "the consumer's build");

        // The Norton.Core package's buildTransitive target ran in the consumer's build (through Norton.Losses) and fixed
        // the copy in the build output, and only that one.
        string outputGlue = Directory.GetFiles(Path.Combine(app, "bin"), LibTorchSharpPatcher.LibraryFileName, SearchOption.AllDirectories).Single();
        Assert.False(LibTorchSharpPatcher.NeedsPatch(outputGlue), $"{outputGlue} still requires GLIBCXX_3.4.32");
        if (trapArmed)
            Assert.True(build.Output.Contains($"Norton: marked GLIBCXX_3.4.32 weak in {outputGlue}", StringComparison.Ordinal),
                $"The consumer build did not run Norton.Core's buildTransitive patch on {outputGlue}. {build.Describe()}");
        else
            log.WriteLine("TorchSharp's shipped libLibTorchSharp.so needs no patch (or was not in the machine's cache): the build-time patch is not exercised.");

        var run = Step(ProcessRunner.Dotnet(app, StepTimeout, env, "run", "-c", "Release", "--no-build"));
        var values = run.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Contains('=')).Select(l => l.Split('=', 2)).ToLookup(p => p[0], p => p[1]);

        float Number(string key)
        {
            string? text = values[key].SingleOrDefault();
            Assert.True(text is not null, $"the program printed no {key}=…:\n{run.Output}");
            return float.Parse(text!, CultureInfo.InvariantCulture);
        }
        float total = Number("loss"), clip = Number("clip-caption"), seq = Number("video-paragraph");
        Assert.True(float.IsFinite(total) && total > 0, $"loss = {total}");
        // loss = clip-caption + 0.1 * video-paragraph (the paper's weight, NortonLossOptions' default).
        Assert.Equal(clip + 0.1f * seq, total, 1e-4f * Math.Max(1, Math.Abs(total)));
        Assert.Contains("grad-finite=True grad-nonzero=True", run.Output);
        Assert.True(values["runtime-patched"].SingleOrDefault() == "0",
            $"Norton.Core's run-time helper had to patch TorchSharp: the build-time fix did not reach the consumer.\n{run.Output}");

        var mapped = values["mapped"].ToList();
        Assert.Contains(mapped, p => p.StartsWith(Path.Combine(app, "bin"), StringComparison.Ordinal) && p.EndsWith("/libtorch_cpu.so", StringComparison.Ordinal));
        Assert.DoesNotContain(mapped, p => !p.StartsWith(app, StringComparison.Ordinal));
        Assert.Contains(mapped, p => p == outputGlue);
        AssertCacheUnchanged(packages, cacheHash, "running the consumer");

        // The same program built without the build-time fix (as BenchmarkDotNet's generated projects are) runs with
        // its one setup call: the run-time fallback loads a fixed private copy from our cache folder, and again the
        // package cache is left as it was.
        string unfixed = Path.Combine(work, "unfixed");
        string nativeCache = Path.Combine(work, "native-cache");
        Step(ProcessRunner.Dotnet(app, StepTimeout, env, "build", "-c", "Release", "-p:NortonPatchLibTorchSharp=false", "-o", unfixed, "--disable-build-servers", "-nologo"));
        string unfixedGlue = Directory.GetFiles(unfixed, LibTorchSharpPatcher.LibraryFileName, SearchOption.AllDirectories).Single();
        Assert.Equal(trapArmed, LibTorchSharpPatcher.NeedsPatch(unfixedGlue));
        var fallbackEnv = new Dictionary<string, string>(env) { ["NORTON_NATIVE_CACHE"] = nativeCache };
        var fallback = Step(ProcessRunner.Dotnet(unfixed, StepTimeout, fallbackEnv, Path.Combine(unfixed, "app.dll"), "--setup"));
        Assert.Contains("grad-finite=True grad-nonzero=True", fallback.Output);
        if (trapArmed)
        {
            Assert.Contains("runtime-patched=1", fallback.Output);
            Assert.Contains($"mapped={nativeCache}/", fallback.Output); // the fixed private copy is what the process loaded
            Assert.True(LibTorchSharpPatcher.NeedsPatch(unfixedGlue), "the run-time fallback wrote into the application's shipped copy");
        }
        AssertCacheUnchanged(packages, cacheHash, "the run-time fallback");
        log.WriteLine(string.Join("\n", packed.Log));
    }

    private static string Sha256(string path) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    private static void AssertCacheUnchanged(SeededPackagesFolder packages, string? hashBefore, string after)
    {
        if (packages.UnpatchedLibTorchSharp is null || hashBefore is null) return;
        Assert.True(Sha256(packages.UnpatchedLibTorchSharp) == hashBefore,
            $"{after} changed the NuGet package cache's {packages.UnpatchedLibTorchSharp}: it must stay byte-identical to the package's file");
    }

    private ProcessResult Step(ProcessResult result)
    {
        log.WriteLine($"{result.CommandLine}: {result.Elapsed.TotalSeconds:F1} s");
        Assert.True(result.Succeeded, result.Describe());
        return result;
    }
}
