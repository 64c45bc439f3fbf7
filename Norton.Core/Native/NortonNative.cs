using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Norton.Core.Native;

/// <summary>
/// Makes TorchSharp's native library loadable before the first torch call, on every Linux distribution that
/// TorchSharp's CPU and CUDA backends support.
/// </summary>
/// <remarks>
/// <para>TorchSharp 0.107's <c>libLibTorchSharp.so</c> requires <c>GLIBCXX_3.4.32</c>; on Debian 12 or Ubuntu 22.04 every
/// torch call then fails with a misleading "no reference to libtorch-cpu" error. The packages' build targets fix the
/// copy in the build output; this helper fixes the copies that a process may load without such a build (notebooks,
/// BenchmarkDotNet's generated projects, tools that load from the NuGet cache).</para>
/// <para>Call <see cref="EnsureInitialized"/> once before your first torch call if you do not build with MSBuild.
/// Norton's own entry points call it for you, and it runs when the Norton.Core assembly loads.</para>
/// </remarks>
public static class NortonNative
{
    private static readonly object Gate = new();
    private static bool _done;
    private static string[] _patched = [];

    /// <summary>The files this process patched (empty when nothing needed it).</summary>
    public static IReadOnlyList<string> PatchedFiles => _patched;

    /// <summary>
    /// Patches every <c>libLibTorchSharp.so</c> this process may load. Idempotent, cheap after the first call, and a
    /// no-op on Windows and macOS.
    /// </summary>
    public static void EnsureInitialized()
    {
        if (_done) return;
        lock (Gate)
        {
            if (_done) return;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
                _patched = PatchCandidates();
            _done = true;
        }
    }

#pragma warning disable CA2255 // A library module initializer is intended here: it must run before TorchSharp loads.
    [ModuleInitializer]
    internal static void OnAssemblyLoad() => EnsureInitialized();
#pragma warning restore CA2255

    private static string[] PatchCandidates()
    {
        var patched = new List<string>();
        foreach (string file in CandidateFiles().Distinct(StringComparer.Ordinal))
        {
            try
            {
                if (LibTorchSharpPatcher.Patch(file) == LibTorchSharpPatcher.Outcome.Patched)
                    patched.Add(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // A read-only copy we cannot fix: torch will report the load failure itself. Nothing else to do.
            }
        }
        return patched.ToArray();
    }

    private static IEnumerable<string> CandidateFiles()
    {
        string rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var dirs = new List<string> { AppContext.BaseDirectory };
        // Where TorchSharp.dll itself lives (the NuGet cache for notebooks); typeof does not run torch's static ctor.
        string? torchDir = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchDir))
        {
            dirs.Add(torchDir);
            // .../torchsharp/<version>/lib/<tfm>/TorchSharp.dll -> .../torchsharp/<version>
            string? packageRoot = Path.GetDirectoryName(Path.GetDirectoryName(torchDir));
            if (packageRoot is not null) dirs.Add(packageRoot);
        }
        string? nugetRoot = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(nugetRoot))
            nugetRoot = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string version = typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?
            .InformationalVersion.Split('+')[0] ?? "";
        if (version.Length > 0)
            dirs.Add(Path.Combine(nugetRoot, "torchsharp", version));

        foreach (string dir in dirs)
        {
            foreach (string sub in new[] { "", Path.Combine("runtimes", rid, "native") })
            {
                string file = Path.Combine(dir, sub, LibTorchSharpPatcher.LibraryFileName);
                if (File.Exists(file)) yield return Path.GetFullPath(file);
            }
        }
    }
}
