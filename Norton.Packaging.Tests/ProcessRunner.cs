using System.Diagnostics;
using System.Text;

namespace Norton.Packaging.Tests;

/// <summary>The outcome of one child process.</summary>
internal sealed record ProcessResult(string CommandLine, string WorkingDirectory, int ExitCode, bool TimedOut, string Output, TimeSpan Elapsed)
{
    /// <summary>True when the process ended by itself with exit code 0.</summary>
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>A failure message: the command, how it ended, and the tail of its output.</summary>
    public string Describe(int tailChars = 12000)
    {
        string how = TimedOut ? $"timed out after {Elapsed.TotalSeconds:F0} s and was killed" : $"exited with code {ExitCode} after {Elapsed.TotalSeconds:F1} s";
        string tail = Output.Length <= tailChars ? Output : "…" + Output[^tailChars..];
        return $"`{CommandLine}` (in {WorkingDirectory}) {how}. Output:\n{tail}";
    }
}

/// <summary>Runs the dotnet CLI and other tools as child processes with a time limit and captured output.</summary>
internal static class ProcessRunner
{
    /// <summary>The dotnet host that runs these tests (so children use the same SDK installation).</summary>
    public static string DotnetHost
    {
        get
        {
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
        }
    }

    /// <summary>Runs <c>dotnet args</c>.</summary>
    public static ProcessResult Dotnet(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] args)
        => Run(DotnetHost, args, workingDirectory, timeout, environment);

    /// <summary>Runs a program; kills its whole process tree when it outlives <paramref name="timeout"/>.</summary>
    public static ProcessResult Run(string fileName, IEnumerable<string> args, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in args) start.ArgumentList.Add(a);
        PrepareEnvironment(start.Environment);
        if (environment is not null)
            foreach (var (key, value) in environment) start.Environment[key] = value;

        string commandLine = string.Join(' ', start.ArgumentList.Prepend(Path.GetFileName(fileName)).Select(Quote));
        var output = new StringBuilder();
        var outputClosed = new CountdownEvent(2);
        void Append(string? line, bool isError)
        {
            if (line is null) { outputClosed.Signal(); return; }
            lock (output) output.AppendLine(line);
        }

        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data, false);
        process.ErrorDataReceived += (_, e) => Append(e.Data, true);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        bool exited = process.WaitForExit(timeout);
        if (!exited)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { /* ended meanwhile */ }
            process.WaitForExit(TimeSpan.FromSeconds(30));
        }
        // A grandchild that outlives its parent (a build server) may keep the pipes open: don't wait for it forever.
        outputClosed.Wait(TimeSpan.FromSeconds(10));
        clock.Stop();
        string text;
        lock (output) text = output.ToString();
        return new ProcessResult(commandLine, workingDirectory, exited ? process.ExitCode : -1, !exited, text, clock.Elapsed);
    }

    // Children must not inherit the MSBuild settings of the `dotnet test` that started this test host (they point at
    // its own build), nor leave build servers behind that hold our pipes open.
    private static void PrepareEnvironment(IDictionary<string, string?> env)
    {
        foreach (string key in env.Keys.ToList())
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase))
                env.Remove(key);
        env["MSBUILDDISABLENODEREUSE"] = "1";
        env["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        env["UseSharedCompilation"] = "false";
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_NOLOGO"] = "1";
        env["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        env["DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE"] = "1";
        env["NO_COLOR"] = "1";
    }

    private static string Quote(string s) => s.Length > 0 && s.All(c => !char.IsWhiteSpace(c) && c != '"' && c != '\'') ? s : $"'{s}'";
}
