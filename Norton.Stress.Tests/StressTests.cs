using System.Text.Json;
using Xunit;

namespace Norton.Stress.Tests;

/// <summary>
/// Each workload trains for 2,000 steps in a child process while another thread allocates continuously. Before the
/// fix every one of them aborted the process (TorchSharp's Scalar race, docs/thread-safety.md); a native abort shows
/// here as a non-zero exit code with the native error in the message.
/// </summary>
public class StressTests
{
    private const int Steps = 2000;

    public static TheoryData<string> Workloads => new()
    {
        "loss", "sinkhorn-fused", "sinkhorn-scaling", "sinkhorn-torch", "model", "fine-grained", "plain-norton",
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void SurvivesTwoThousandStepsWhileAnotherThreadAllocates(string workload)
    {
        string program = Path.Combine(AppContext.BaseDirectory, "Norton.Stress.dll");
        Assert.True(File.Exists(program), $"{program} is missing: Norton.Stress must be built next to the tests");
        var result = ChildProcess.Run(ChildProcess.Dotnet, [program, workload, "--steps", Steps.ToString(), "--allocators", "1"],
            TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0,
            $"{workload}: the child process ended with exit code {result.ExitCode} (134 = native abort).\n" +
            $"stderr (end): {Tail(result.Error)}\nstdout: {Tail(result.Output)}");
        using var line = JsonDocument.Parse(result.Output.Trim().Split('\n')[^1]);
        Assert.Equal(Steps, line.RootElement.GetProperty("steps").GetInt64());
        Assert.True(line.RootElement.GetProperty("survived").GetBoolean());
        Assert.True(line.RootElement.GetProperty("gen0_collections").GetInt64() > 0, "the allocating thread must have caused collections");
    }

    private static string Tail(string s) => s.Length <= 3000 ? s : s[^3000..];
}
