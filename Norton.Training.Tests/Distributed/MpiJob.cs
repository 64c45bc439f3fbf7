using Xunit;
using System.Diagnostics;

namespace Norton.Training.Tests.Distributed;

/// <summary>
/// Runs Norton.Training.MpiHost under <c>mpirun -np N</c> (as root where CI runs: <c>--allow-run-as-root</c>;
/// <c>--oversubscribe</c> for machines with fewer cores than ranks). Fails, not skips, when mpirun is missing: CI
/// installs Open MPI (<c>openmpi-bin libopenmpi-dev</c>).
/// </summary>
internal static class MpiJob
{
    /// <summary>The result of one job.</summary>
    public sealed record Result(int ExitCode, string Output, string Error, TimeSpan Elapsed, bool TimedOut);

    /// <summary>The host's dll in its own output folder (same configuration as this test assembly).</summary>
    public static string HostDll
    {
        get
        {
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string configuration = tfm.Parent!.Name;
            for (var dir = tfm; dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Norton.sln")))
                {
                    string dll = Path.Combine(dir.FullName, "Norton.Training.MpiHost", "bin", configuration, tfm.Name, "Norton.Training.MpiHost.dll");
                    return File.Exists(dll) ? dll : throw new FileNotFoundException("Norton.Training.MpiHost is not built (it is a ProjectReference of the tests).", dll);
                }
            throw new DirectoryNotFoundException("No Norton.sln above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The mpirun on PATH.</summary>
    public static string Mpirun => OnPath("mpirun",
        "the data-parallel tests need Open MPI (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev)");

    /// <summary>Runs <c>mpirun -np ranks dotnet host args</c>, killing it after <paramref name="timeout"/>.</summary>
    public static Result Run(int ranks, TimeSpan timeout, params string[] args) =>
        Start(Mpirun, ["--allow-run-as-root", "--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none",
            "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), Dotnet, HostDll, .. args], timeout);

    /// <summary>MPICH's launcher (Hydra), <c>mpirun.mpich</c> on PATH.</summary>
    public static string MpirunMpich => OnPath("mpirun.mpich",
        "the MPICH test needs MPICH (Debian/Ubuntu: apt-get install mpich; .ci/run installs it)");

    private static string OnPath(string program, string need) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{program} is not on PATH: {need}.");

    /// <summary>Runs <c>mpirun.mpich -np ranks dotnet host args</c> (Hydra runs as root without a flag). UCX is held
    /// to its loopback and POSIX shared-memory transports (<c>UCX_TLS=self,posix</c>), the counterpart of the Open MPI
    /// run's <c>btl_vader_single_copy_mechanism none</c>: containers often forbid the cross-memory attach (CMA) UCX
    /// would otherwise try between the ranks.</summary>
    public static Result RunMpich(int ranks, TimeSpan timeout, params string[] args) =>
        Start(MpirunMpich, ["-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), Dotnet, HostDll, .. args], timeout,
            new Dictionary<string, string> { ["UCX_TLS"] = "self,posix" });

    /// <summary>Runs the host as a plain process (a world of one).</summary>
    public static Result RunAlone(TimeSpan timeout, params string[] args) => Start(Dotnet, [HostDll, .. args], timeout);

    // The dotnet that runs these tests (testhost runs under it), so the host gets the same runtime.
    private static string Dotnet =>
        Environment.ProcessPath is string path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    private static Result Start(string file, string[] args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        foreach (string a in args) info.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        bool finished = process.WaitForExit(timeout);
        if (!finished) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return new Result(finished ? process.ExitCode : -1, output.Result, error.Result, watch.Elapsed, !finished);
    }

    /// <summary>Every JSON object line of the output (mpirun may prefix terminal escapes).</summary>
    public static IEnumerable<string> JsonLines(string output) =>
        output.Split('\n').Select(l => l.IndexOf('{', StringComparison.Ordinal) is int i and >= 0 ? l[i..].Trim() : "").Where(l => l.Length > 0);

    /// <summary>Reads a raw float32 file the host wrote.</summary>
    public static float[] ReadFloats(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    /// <summary>A fresh temporary folder.</summary>
    public static string TemporaryDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "norton-mpi-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Describes a failed job for assertion messages.</summary>
    public static string Describe(Result r) =>
        $"exit {r.ExitCode} after {r.Elapsed.TotalSeconds:F1} s{(r.TimedOut ? " (timed out)" : "")}\nstdout:\n{r.Output}\nstderr:\n{r.Error}";
}
