using System.Diagnostics;
using Norton.Training;
using Xunit;

namespace Norton.Cli.Tests;

/// <summary>
/// <c>norton pretrain</c> as users launch it on several processes: <c>mpirun -np 2 norton pretrain …</c> (as root
/// where CI runs: <c>--allow-run-as-root</c>; <c>--oversubscribe</c> for machines with fewer cores). Fails, not
/// skips, when mpirun is missing: CI installs Open MPI.
/// </summary>
public sealed class PretrainUnderMpirunTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public void TwoRanks_TrainAndResume_WithRank0AloneReportingAndWritingCheckpoints()
    {
        string dir = Path.Combine(Path.GetTempPath(), "norton-cli-tests", Guid.NewGuid().ToString("N"));
        var first = Mpirun("pretrain", "--output", dir, "--max-updates", "2", "--plain");
        Assert.True(first.Code == 0, first.Describe);
        Assert.Single(Lines(first.Output, "norton pretrain: "));          // rank 0 alone prints
        Assert.Single(Lines(first.Output, "stopped after 2 updates"));
        Assert.True(File.Exists(Path.Combine(dir, CheckpointFiles.Last)));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));

        var second = Mpirun("pretrain", "--output", dir, "--max-updates", "3", "--restore", "--plain");
        Assert.True(second.Code == 0, second.Describe);
        Assert.Single(Lines(second.Output, "resumed from "));
        Assert.Contains("at update 2, epoch 1", second.Output);
        Assert.Single(Lines(second.Output, "stopped after 3 updates"));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void TwoRanks_AFailureOnRank0_EndsTheJobNonZero_WithItsError_InsteadOfLeavingRank1Waiting()
    {
        string file = Path.Combine(Path.GetTempPath(), "norton-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "");
        var job = Mpirun("pretrain", "--output", file, "--max-updates", "2", "--plain"); // a file, not a folder
        // Rank 0 fails before the first collective (its output folder check); rank 1 waits in the weights'
        // broadcast until rank 0's abort ends the job.
        Assert.NotEqual(0, job.Code);
        Assert.Contains("is not writable", job.Error + job.Output);
        Assert.Contains("rank 0 of 2: exit code 1", job.Error + job.Output);
        File.Delete(file);
    }

    private static string[] Lines(string output, string start) =>
        output.Split('\n').Where(l => l.Contains(start, StringComparison.Ordinal)).ToArray();

    private sealed record Result(int Code, string Output, string Error)
    {
        public string Describe => $"exit {Code}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    private static Result Mpirun(params string[] args)
    {
        string mpirun = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "mpirun")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mpirun is not on PATH: these tests need Open MPI (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev).");
        string dotnet = Environment.ProcessPath is string path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        string norton = Path.Combine(AppContext.BaseDirectory, "norton.dll");
        var info = new ProcessStartInfo(mpirun)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (string a in (string[])["--allow-run-as-root", "--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none", "-np", "2", dotnet, norton, .. args])
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        bool finished = process.WaitForExit(Limit);
        if (!finished) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return new Result(finished ? process.ExitCode : -1, output.Result, error.Result + (finished ? "" : "\n(timed out)"));
    }
}
