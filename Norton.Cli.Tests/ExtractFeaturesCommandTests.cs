using System.CommandLine;
using System.Diagnostics;
using Norton.TestSupport;
using Xunit;

namespace Norton.Cli.Tests;

/// <summary><c>norton extract-features</c> through the command tree (the pipeline itself is tested in Norton.Training.Tests).</summary>
public sealed class ExtractFeaturesCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "norton-cli-extract-" + Guid.NewGuid().ToString("N"));

    public ExtractFeaturesCommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Weights =>
        Path.Combine(TestEnvironment.SharedDirectory, "fixtures", "s3d", "s3d_seed0_1x3x16x112x112", "weights.pt");

    private static (int Code, string Out, string Err) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.BuildRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private static void MakeVideo(string path, double seconds)
    {
        var start = new ProcessStartInfo("ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
            FormattableString.Invariant($"testsrc2=size=320x240:rate=25:duration={seconds}"), "-pix_fmt", "yuv420p", path])
        { RedirectStandardError = true };
        using var process = Process.Start(start)!;
        string err = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, err);
    }

    [Fact]
    public void HelpDescribesTheCommand()
    {
        var (code, output, _) = Invoke("extract-features", "--help");
        Assert.Equal(0, code);
        foreach (string option in new[] { "--output", "--weights", "--batch", "--device", "s3d_howto100m.pth" })
            Assert.Contains(option, output);
    }

    [Fact]
    public void BadVideoIsReportedDoneVideoSkippedExitCodeOne()
    {
        string output = Path.Combine(_folder, "features");
        Directory.CreateDirectory(output);
        string done = Path.Combine(_folder, "done.mp4");
        MakeVideo(done, 0.2);
        File.WriteAllBytes(Path.Combine(output, "done.npy"), [42]);
        string bad = Path.Combine(_folder, "bad.mp4");
        File.WriteAllText(bad, "not a video");

        var (code, stdout, stderr) = Invoke("extract-features", bad, done, "--output", output, "--weights", Weights);

        Assert.Equal(1, code);
        Assert.Contains("skipped", stdout);
        Assert.Contains("extracted 0, skipped 1 (already done), failed 1", stdout);
        Assert.Contains("failed: " + bad, stderr);
        Assert.Equal([42], File.ReadAllBytes(Path.Combine(output, "done.npy")));
        Assert.False(File.Exists(Path.Combine(output, "bad.npy")));
    }

    [Fact]
    public void ExtractsAGeneratedVideoAtTheOriginalSettings()
    {
        // One 3 x 30 x 224 x 224 clip (0.2 s = 6 frames, zero-padded): the only full-size S3D forward in the tests.
        string video = Path.Combine(_folder, "clip.mp4");
        MakeVideo(video, 0.2);
        string output = Path.Combine(_folder, "features");

        var (code, stdout, stderr) = Invoke("extract-features", _folder, "--output", output, "--weights", Weights, "--batch", "1");

        Assert.True(code == 0, stderr);
        Assert.Contains("extracted 1, skipped 0 (already done), failed 0", stdout);
        byte[] npy = File.ReadAllBytes(Path.Combine(output, "clip.npy"));
        int headerLength = BitConverter.ToUInt16(npy, 8);
        string header = System.Text.Encoding.ASCII.GetString(npy, 10, headerLength);
        Assert.StartsWith("{'descr': '<f2', 'fortran_order': False, 'shape': (1, 512), }", header);
        Assert.Equal(10 + headerLength + 512 * 2, npy.Length);
        double norm = 0;
        for (int j = 0; j < 512; j++)
        {
            double v = (double)BitConverter.ToHalf(npy, 10 + headerLength + 2 * j);
            norm += v * v;
        }
        Assert.InRange(Math.Sqrt(norm), 0.998, 1.002);
    }

    [Fact]
    public void MissingWeightsExitTwoNamingTheFile()
    {
        string weights = Path.Combine(_folder, "absent.pth");
        var (code, _, stderr) = Invoke("extract-features", Path.Combine(_folder, "x.mp4"), "--output", _folder, "--weights", weights);
        Assert.Equal(2, code);
        Assert.Contains(weights, stderr);
    }

    [Theory]
    [InlineData("--batch", "0", "--batch must be at least 1")]
    [InlineData("--device", "tpu", "'tpu'")]
    public void InvalidOptionsAreRejected(string option, string value, string message)
    {
        var (code, _, stderr) = Invoke("extract-features", "x.mp4", "--output", _folder, option, value);
        Assert.NotEqual(0, code);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void OutputIsRequired()
    {
        var (code, _, stderr) = Invoke("extract-features", "x.mp4");
        Assert.NotEqual(0, code);
        Assert.Contains("--output", stderr);
    }
}
