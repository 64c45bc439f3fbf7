using System.Diagnostics;
using System.Text.Json;
using Norton.Stress;

namespace Norton.Benchmarks;

/// <summary>
/// <c>stress-soak</c>: the thread-safety stress workloads (docs/thread-safety.md) for more steps than CI runs, each in
/// its own child process (Norton.Stress), several runs each; prints one JSON line with, per workload, how many runs
/// survived and the first native error of a crashed run. <c>plain-torch</c> (TorchSharp's own Adam and operators) is
/// the reproduction and is expected to crash; every other workload must survive.
/// </summary>
public static class StressSoakCommand
{
    /// <summary>Usage line.</summary>
    public const string Usage =
        "stress-soak --steps N [--runs R] [--workload all|<name>] [--allocators K] [--trainers K]  (names: " + Workloads.Names + ")";

    /// <summary>Runs the command; returns 0 when every run of every workload but plain-torch survived, else 1.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var cl = new CommandLine(args);
        long steps = cl.Integer("steps", min: 1);
        long runs = cl.Integer("runs", 3, min: 1);
        string workload = cl.Choice("workload", ["all", .. Workloads.Names.Split(' ')]);
        long allocators = cl.Integer("allocators", 1);
        long trainers = cl.Integer("trainers", 1, min: 1);
        cl.RejectUnknown();

        string program = Path.Combine(AppContext.BaseDirectory, "Norton.Stress.dll");
        if (!File.Exists(program)) throw new ArgumentException($"{program} is missing: build Norton.Benchmarks (it references Norton.Stress)");
        string dotnet = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var names = workload == "all" ? Workloads.Names.Split(' ') : [workload];
        var results = new Dictionary<string, object?>();
        bool ok = true;
        foreach (string name in names)
        {
            int survived = 0;
            string? firstError = null;
            var clock = Stopwatch.StartNew();
            for (long r = 0; r < runs; r++)
            {
                var info = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (string a in new[] { program, name, "--steps", steps.ToString(), "--allocators", allocators.ToString(), "--trainers", trainers.ToString() })
                    info.ArgumentList.Add(a);
                using var process = Process.Start(info)!;
                var stdout = process.StandardOutput.ReadToEndAsync();
                string stderr = process.StandardError.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode == 0 && stdout.Result.Contains("\"survived\":true", StringComparison.Ordinal)) survived++;
                else firstError ??= $"exit {process.ExitCode}: " + (stderr.Split('\n').FirstOrDefault(l => l.Contains("Exception", StringComparison.Ordinal)) ?? "").Trim();
            }
            if (name != "plain-torch" && survived != runs) ok = false;
            results[name] = new Dictionary<string, object?>
            {
                ["runs"] = runs, ["survived"] = survived, ["crashed"] = runs - survived,
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1), ["first_error"] = firstError,
            };
        }
        var line = new Dictionary<string, object?>
        {
            ["command"] = "stress-soak", ["steps"] = steps, ["runs"] = runs, ["allocators"] = allocators, ["trainers"] = trainers,
            ["results"] = results,
        };
        Console.WriteLine(JsonSerializer.Serialize(line));
        return ok ? 0 : 1;
    }
}
