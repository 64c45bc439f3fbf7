using System.Runtime.CompilerServices;
using Norton.Core.Native;
using TorchSharp;

namespace Norton.Benchmarks;

/// <summary>
/// Process setup shared by the BenchmarkDotNet suites and the profile commands: TorchSharp's native-load fix, the torch
/// thread count, the devices to measure on.
/// </summary>
/// <remarks>
/// BenchmarkDotNet's default toolchain runs each benchmark in a process built from a generated project that imports
/// neither Directory.Build.targets nor its build-time patch, with <c>libLibTorchSharp.so</c> copied from the NuGet cache.
/// The module initializer below patches that copy (through <see cref="NortonNative"/>) before any torch call, in the
/// host and in every generated process; each suite's GlobalSetup calls <see cref="Initialize"/> again.
/// </remarks>
public static class BenchmarkEnvironment
{
    /// <summary>Environment variable with the torch thread count for benchmarks (default 2).</summary>
    public const string ThreadsVariable = "NORTON_BENCH_THREADS";

    private const int DefaultThreads = 2;

#pragma warning disable CA2255 // Must run before TorchSharp loads its native library, whichever type BenchmarkDotNet touches first.
    [ModuleInitializer]
    internal static void OnAssemblyLoad() => NortonNative.EnsureInitialized();
#pragma warning restore CA2255

    /// <summary>The thread count: <see cref="ThreadsVariable"/> if set, else 2.</summary>
    public static int Threads =>
        int.TryParse(Environment.GetEnvironmentVariable(ThreadsVariable), out int n) && n > 0 ? n : DefaultThreads;

    /// <summary>Patches the native library if needed and sets torch's intra-op thread count.</summary>
    /// <param name="threads">Thread count; null = <see cref="Threads"/>.</param>
    /// <param name="log">Where to report run-time patches (BenchmarkDotNet logs the processes' standard output; the
    /// profile commands keep it for their JSON line and pass standard error).</param>
    public static void Initialize(int? threads = null, TextWriter? log = null)
    {
        NortonNative.EnsureInitialized();
        // Shows in BenchmarkDotNet's log which copies the generated processes had to fix at run time.
        foreach (string file in NortonNative.PatchedFiles)
            (log ?? Console.Out).WriteLine($"// NortonNative patched {file} at run time");
        torch.set_num_threads(threads ?? Threads);
    }

    /// <summary>"cpu", plus "cuda" where a CUDA backend and device are present.</summary>
    public static IEnumerable<string> Devices()
    {
        NortonNative.EnsureInitialized();
        yield return "cpu";
        if (torch.cuda.is_available()) yield return "cuda";
    }

    /// <summary>Waits for queued device work, so a timed call includes it (no-op on the CPU).</summary>
    public static void Synchronize(torch.Device device)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
    }
}
