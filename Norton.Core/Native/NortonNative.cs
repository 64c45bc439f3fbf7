using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Security.Cryptography;

namespace Norton.Core.Native;

/// <summary>
/// One setup call that makes TorchSharp's native library load on every Linux distribution that TorchSharp's CPU and
/// CUDA backends support, without changing any file outside this process's own private copy.
/// </summary>
/// <remarks>
/// <para>TorchSharp 0.107's <c>libLibTorchSharp.so</c> requires <c>GLIBCXX_3.4.32</c>; on Debian 12 or Ubuntu 22.04 every
/// torch call then fails with a misleading "no reference to libtorch-cpu" error. Applications built with MSBuild need
/// nothing: the packages' build targets put a fixed copy into the build output (never into the NuGet cache). A process
/// without such a build (a notebook, BenchmarkDotNet's generated projects) calls <see cref="EnsureInitialized"/> once
/// before its first torch call.</para>
/// <para>That call registers a fallback that runs only if TorchSharp's own load of <c>libLibTorchSharp.so</c> fails:
/// it writes a fixed copy of the shipped file into a per-user cache folder of ours
/// (<c>$XDG_CACHE_HOME/norton-dotnet/native</c>, else <c>~/.cache/norton-dotnet/native</c>) and loads that. Where the
/// library loads as shipped (a system with GLIBCXX_3.4.32, a build output fixed at build time) nothing is copied or
/// patched; on Windows and macOS the call does nothing. See docs/api-guide.md.</para>
/// <para>Where the process has no libtorch of its own beside the application (a notebook), the call also loads libtorch
/// from the <c>libtorch-cpu-linux-x64</c> package in the NuGet cache by full path, so that TorchSharp's lookup by name
/// cannot pick up a system-wide libtorch (Debian's python3-torch installs libtorch 1.13).</para>
/// <para>Norton.Core does no work when its assembly loads and does not call this from its solvers.</para>
/// </remarks>
public static class NortonNative
{
    /// <summary>Environment variable that overrides the folder for fixed private copies.</summary>
    public const string CacheDirectoryVariable = "NORTON_NATIVE_CACHE";

    private const string TorchSharpLibraryName = "LibTorchSharp";
    private static readonly object Gate = new();
    private static volatile bool _done;
    private static string[] _patched = [];
    private static IntPtr _resolved;

    /// <summary>
    /// The fixed private copies this process loaded (empty when TorchSharp's native library loaded as shipped or as
    /// fixed by the build).
    /// </summary>
    public static IReadOnlyList<string> PatchedFiles => _patched;

    /// <summary>
    /// The folder libtorch was preloaded from (the <c>libtorch-cpu-linux-x64</c> package in the NuGet cache), or null
    /// when the application carries its own libtorch and nothing was preloaded.
    /// </summary>
    public static string? LibTorchDirectory { get; private set; }

    /// <summary>
    /// Registers the load fallback (and, for a process without libtorch of its own, preloads the packaged libtorch).
    /// Idempotent, a field read after the first call, and a no-op on Windows and macOS. Call it before the first torch
    /// call; later calls have no effect on a library that is already loaded.
    /// </summary>
    public static void EnsureInitialized()
    {
        if (_done) return;
        lock (Gate)
        {
            if (_done) return;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                AssemblyLoadContext.Default.ResolvingUnmanagedDll += ResolveLibTorchSharp;
                LibTorchDirectory = PreloadPackagedLibTorch();
            }
            _done = true;
        }
    }

    /// <summary>The folder for fixed private copies: <see cref="CacheDirectoryVariable"/>, else the per-user cache.</summary>
    public static string CacheDirectory
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable(CacheDirectoryVariable);
            if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            string root = !string.IsNullOrWhiteSpace(xdg) ? xdg
                : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache")
                : Path.Combine(Path.GetTempPath(), $"norton-dotnet-{Environment.UserName}");
            return Path.Combine(root, "norton-dotnet", "native");
        }
    }

    // Called by the runtime only when TorchSharp's own load of its native glue failed (never on the normal path).
    private static IntPtr ResolveLibTorchSharp(Assembly assembly, string name)
    {
        if (!string.Equals(name, TorchSharpLibraryName, StringComparison.Ordinal) || assembly != typeof(TorchSharp.torch).Assembly)
            return IntPtr.Zero;
        lock (Gate)
        {
            if (_resolved != IntPtr.Zero) return _resolved;
            foreach (string shipped in ShippedCopies())
            {
                try
                {
                    string file = LibTorchSharpPatcher.NeedsPatch(shipped) ? PrivateFixedCopy(shipped) : shipped;
                    PreloadDependencies(Path.GetDirectoryName(shipped)!);
                    if (NativeLibrary.TryLoad(file, out IntPtr handle))
                    {
                        if (file != shipped) _patched = [.. _patched, file];
                        _resolved = handle;
                        return handle;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    // This copy cannot be read or fixed: try the next; TorchSharp reports the failure if none loads.
                }
            }
            return IntPtr.Zero;
        }
    }

    // The fixed copy lives under a name derived from the shipped file's content, so one copy serves every process and
    // a TorchSharp update gets a copy of its own. Written to a temporary file, then renamed: never seen half-written.
    internal static string PrivateFixedCopy(string shipped)
    {
        byte[] bytes = File.ReadAllBytes(shipped);
        string key = Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant();
        string folder = Path.Combine(CacheDirectory, key);
        string target = Path.Combine(folder, LibTorchSharpPatcher.LibraryFileName);
        if (File.Exists(target) && !LibTorchSharpPatcher.NeedsPatch(target) && new FileInfo(target).Length == bytes.Length)
            return target;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{LibTorchSharpPatcher.LibraryFileName}.{Environment.ProcessId}.tmp");
        File.WriteAllBytes(temporary, bytes);
        LibTorchSharpPatcher.Patch(temporary);
        File.Move(temporary, target, overwrite: true);
        return target;
    }

    // The private copy's RUNPATH ($ORIGIN) no longer finds libtorch: load it from the shipped copy's folder first, so
    // that the copy's needs (libtorch.so, libc10.so, libtorch_cpu.so) resolve to the libraries already in the process.
    private static void PreloadDependencies(string folder)
    {
        foreach (string library in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
        {
            string path = Path.Combine(folder, library);
            if (File.Exists(path)) NativeLibrary.TryLoad(path, out _);
        }
    }

    // A process without a build step (a notebook) has no libtorch beside the application: TorchSharp then asks the
    // loader for "libtorch.so" by name and may get a system-wide one (Debian's python3-torch installs libtorch 1.13 in
    // /usr/lib), which crashes the process. Loading the package's libraries by full path first makes every later
    // lookup by name resolve to them.
    private static string? PreloadPackagedLibTorch()
    {
        string rid = Rid;
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

    private static string Rid => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";

    private static string NuGetRoot()
    {
        string? root = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        return string.IsNullOrEmpty(root)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")
            : root;
    }

    // Where TorchSharp's glue may be, in the order the loader would look: beside the application, beside
    // TorchSharp.dll, then the TorchSharp package (a notebook loads TorchSharp.dll straight from the NuGet cache).
    private static IEnumerable<string> ShippedCopies()
    {
        string rid = Rid;
        var dirs = new List<string> { AppContext.BaseDirectory };
        string? torchDir = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchDir))
        {
            dirs.Add(torchDir);
            // .../torchsharp/<version>/lib/<tfm>/TorchSharp.dll -> .../torchsharp/<version>
            string? packageRoot = Path.GetDirectoryName(Path.GetDirectoryName(torchDir));
            if (packageRoot is not null) dirs.Add(packageRoot);
        }
        string version = typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?
            .InformationalVersion.Split('+')[0] ?? "";
        if (version.Length > 0)
            dirs.Add(Path.Combine(NuGetRoot(), "torchsharp", version));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string dir in dirs)
            foreach (string sub in new[] { "", Path.Combine("runtimes", rid, "native") })
            {
                string file = Path.GetFullPath(Path.Combine(dir, sub, LibTorchSharpPatcher.LibraryFileName));
                if (File.Exists(file) && seen.Add(file)) yield return file;
            }
    }
}
