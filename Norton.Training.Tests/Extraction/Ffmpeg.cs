using System.Diagnostics;

namespace Norton.Training.Tests.Extraction;

/// <summary>The ffmpeg command line, run directly (not through FFMpegCore): makes test videos and the reference frames.</summary>
internal static class Ffmpeg
{
    /// <summary>Runs ffmpeg with <paramref name="arguments"/>; returns stdout's bytes; throws with stderr on failure.</summary>
    public static byte[] Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-nostdin");
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(stdout);
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        return stdout.ToArray();
    }

    /// <summary>A testsrc2 clip (moving pattern) of the given size, frame rate and duration.</summary>
    public static void MakeTestVideo(string path, int width, int height, int rate, double seconds, string codec = "libx264")
    {
        var args = new List<string> { "-v", "error", "-y", "-f", "lavfi", "-i",
            FormattableString.Invariant($"testsrc2=size={width}x{height}:rate={rate}:duration={seconds}"), "-c:v", codec };
        if (codec == "libx264") args.AddRange(["-pix_fmt", "yuv420p"]);
        args.Add(path);
        Run([.. args]);
    }

    /// <summary>The frames of <paramref name="path"/> through <paramref name="filters"/>, as raw rgb24 bytes.</summary>
    public static byte[] RawFrames(string path, string filters) =>
        Run("-v", "error", "-i", path, "-vf", filters, "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
}
