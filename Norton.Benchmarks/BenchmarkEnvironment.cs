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
/// neither Directory.Build.targets nor its build-time fix, with <c>libLibTorchSharp.so</c> copied from the NuGet cache as
/// shipped. The module initializer below makes the setup call of <see cref="NortonNative"/> (it only registers a
/// fallback: a fixed private copy is loaded if the shipped file fails to load) before any torch call, in the host and
/// in every generated process; each suite's GlobalSetup calls <see cref="Initialize"/> again.
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

    /// <summary>Makes the native setup call and sets torch's intra-op thread count (which loads torch).</summary>
    /// <param name="threads">Thread count; null = <see cref="Threads"/>.</param>
    /// <param name="log">Where to report a fixed private copy loaded at run time (BenchmarkDotNet logs the processes'
    /// standard output; the profile commands keep it for their JSON line and pass standard error).</param>
    public static void Initialize(int? threads = null, TextWriter? log = null)
    {
        NortonNative.EnsureInitialized();
        torch.set_num_threads(threads ?? Threads);
        // Shows in BenchmarkDotNet's log where the generated processes had to load a fixed private copy from.
        foreach (string file in NortonNative.PatchedFiles)
            (log ?? Console.Out).WriteLine($"// NortonNative loaded the fixed private copy {file}");
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
