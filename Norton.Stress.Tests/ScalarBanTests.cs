using System.Text.RegularExpressions;
using Xunit;

namespace Norton.Stress.Tests;

/// <summary>
/// The build-time ban (build/BannedSymbols.TemporaryScalars.txt, docs/thread-safety.md): a small project that imports
/// the repository's Directory.Build.props/targets like any project of ours must fail to build on each temporary Scalar
/// and build the race-free forms and a #pragma-annotated exception.
/// </summary>
public class ScalarBanTests
{
    private const string Probe = """
        using TorchSharp;
        using static TorchSharp.torch;
        internal static class Probe
        {
            private static readonly Scalar Half = 0.5.ToScalar();
            internal static Tensor Scaled(Tensor t) => t * 0.5;
            internal static Tensor Sum(Tensor a, Tensor b) => a + b;
            internal static Tensor Masked(Tensor t, Tensor m) => t.masked_fill(m, 0.0);
            internal static Tensor Squared(Tensor t) => t.square();
            internal static Tensor RaceFree(Tensor a, Tensor b) => a.add(b, Half).mul(Half).sub(b);
        #pragma warning disable RS0030 // a deliberate, annotated exception
            internal static Tensor Allowed(Tensor t) => t + 1;
        #pragma warning restore RS0030
        }
        """;

    [Fact]
    public void BuildRejectsEachTemporaryScalarAndNothingElse()
    {
        string root = RepositoryRoot();
        string dir = Path.Combine(Path.GetTempPath(), "norton-scalar-ban-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), $"<Project><Import Project=\"{root}/Directory.Build.props\" /></Project>");
            File.WriteAllText(Path.Combine(dir, "Directory.Build.targets"), $"<Project><Import Project=\"{root}/Directory.Build.targets\" /></Project>");
            File.WriteAllText(Path.Combine(dir, "Directory.Packages.props"), $"<Project><Import Project=\"{root}/Directory.Packages.props\" /></Project>");
            File.WriteAllText(Path.Combine(dir, "Probe.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><TargetFramework>net10.0</TargetFramework><IsPackable>false</IsPackable></PropertyGroup>
                  <ItemGroup><PackageReference Include="TorchSharp" /></ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(dir, "Probe.cs"), Probe);
            var result = ChildProcess.Run(ChildProcess.Dotnet, ["build", "Probe.csproj", "-c", "Release", "-nologo", "-p:NortonPatchLibTorchSharp=false"],
                TimeSpan.FromMinutes(5), dir);
            string output = result.Output + result.Error;
            Assert.True(result.ExitCode != 0, "the probe with temporary Scalars must not build:\n" + output);
            var lines = Regex.Matches(output, @"Probe\.cs\((\d+),\d+\): error (\w+)")
                .Select(m => (Line: int.Parse(m.Groups[1].Value), Id: m.Groups[2].Value)).Distinct().ToList();
            Assert.All(lines, e => Assert.Equal("RS0030", e.Id));
            // Lines 6-9: t * 0.5, a + b, masked_fill(m, 0.0), square(); nothing on the race-free line 10 or the pragma'd line 12.
            Assert.Equal([6, 7, 8, 9], lines.Select(e => e.Line).Distinct().Order().ToArray());
            Assert.Contains("docs/thread-safety.md", output);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Norton.sln")) && File.Exists(Path.Combine(d.FullName, "Directory.Build.props")))
                return d.FullName;
        throw new DirectoryNotFoundException($"no Norton.sln above {AppContext.BaseDirectory}");
    }
}
