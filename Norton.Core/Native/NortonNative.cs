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
/// <para>Where the process has no libtorch of its own beside the application (a notebook), it also loads libtorch from
/// the <c>libtorch-cpu-linux-x64</c> package in the NuGet cache by full path, so that TorchSharp's lookup by name cannot
/// pick up a system-wide libtorch (Debian's python3-torch installs libtorch 1.13).</para>
/// <para>Call <see cref="EnsureInitialized"/> once before your first torch call if you do not build with MSBuild (the
/// first cell of a notebook). It also runs when the Norton.Core assembly loads and from <c>Sinkhorn.Solve</c>.</para>
/// </remarks>
public static class NortonNative
{
    private static readonly object Gate = new();
    private static bool _done;
    private static string[] _patched = [];

    /// <summary>The files this process patched (empty when nothing needed it).</summary>
    public static IReadOnlyList<string> PatchedFiles => _patched;

    /// <summary>
    /// The folder libtorch was preloaded from (the <c>libtorch-cpu-linux-x64</c> package in the NuGet cache), or null
    /// when the application carries its own libtorch and nothing was preloaded.
    /// </summary>
    public static string? LibTorchDirectory { get; private set; }

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
            {
                _patched = PatchCandidates();
                LibTorchDirectory = PreloadPackagedLibTorch();
            }
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

    // A process without a build step (a notebook) has no libtorch beside the application: TorchSharp then asks the
    // loader for "libtorch.so" by name and may get a system-wide one (Debian's python3-torch installs libtorch 1.13 in
    // /usr/lib), which crashes the process. Loading the package's libraries by full path first makes every later
    // lookup by name resolve to them.
    private static string? PreloadPackagedLibTorch()
    {
        string rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        string appNative = Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native");
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, "libtorch.so")) || File.Exists(Path.Combine(appNative, "libtorch.so")))
            return null;
        string packageRoot = Path.Combine(NuGetRoot(), $"libtorch-cpu-{rid}");
        if (!Directory.Exists(packageRoot)) return null;
        // TorchSharp 0.107 is built against libtorch 2.10: prefer that version, else the newest present.
        string? dir = Directory.EnumerateDirectories(packageRoot)
            .OrderByDescending(d => Path.GetFileName(d).StartsWith("2.10.", StringComparison.Ordinal))
            .ThenByDescending(d => Version.TryParse(Path.GetFileName(d), out var v) ? v : new Version(0, 0))
            .Select(d => Path.Combine(d, "runtimes", rid, "native"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "libtorch.so")));
        if (dir is null) return null;
        foreach (string library in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
            if (!NativeLibrary.TryLoad(Path.Combine(dir, library), out _))
                return null;
        return dir;
    }

    private static string NuGetRoot()
    {
        string? root = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        return string.IsNullOrEmpty(root)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")
            : root;
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
            // Notebooks: TorchSharp gathers copies of its native files in lib/<tfm>/cpu (or cuda) next to itself.
            dirs.Add(Path.Combine(torchDir, "cpu"));
            dirs.Add(Path.Combine(torchDir, "cuda"));
            // .../torchsharp/<version>/lib/<tfm>/TorchSharp.dll -> .../torchsharp/<version>
            string? packageRoot = Path.GetDirectoryName(Path.GetDirectoryName(torchDir));
            if (packageRoot is not null) dirs.Add(packageRoot);
        }
        string nugetRoot = NuGetRoot();
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
