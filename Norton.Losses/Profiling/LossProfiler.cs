using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Losses.Profiling;

/// <summary>Timings and memory of one profiled forward + backward of <see cref="NortonLoss"/>.</summary>
/// <param name="ForwardSeconds">Wall time of <see cref="NortonLoss.Forward"/>.</param>
/// <param name="BackwardSeconds">Wall time of <c>loss.backward()</c>.</param>
/// <param name="PeakProcessBytes">Whole-process peak resident memory (Linux VmHWM) since the high-water mark was
/// last reset; -1 where it cannot be read.</param>
/// <param name="Loss">The loss value.</param>
/// <param name="CpuSeconds">Processor time the whole process used during forward + backward (all threads); on a
/// machine shared with other work, CpuSeconds / threads estimates the uncontended wall time.</param>
public readonly record struct LossProfile(double ForwardSeconds, double BackwardSeconds, long PeakProcessBytes, double Loss, double CpuSeconds)
{
    /// <summary>Forward + backward.</summary>
    public double TotalSeconds => ForwardSeconds + BackwardSeconds;
}

/// <summary>
/// The <c>profile-loss</c> measurement: forward + backward of <see cref="NortonLoss"/> on <see cref="ProfileInputs"/>
/// with a set number of torch threads, wall time per phase and the process's peak resident memory.
/// </summary>
/// <remarks>
/// The peak is Linux's VmHWM from /proc/self/status; <see cref="ResetPeak"/> resets it (writes 5 to
/// /proc/self/clear_refs) so a measurement can exclude set-up. Everything created in a step is disposed before the
/// next one.
/// </remarks>
public static class LossProfiler
{
    /// <summary>Runs <paramref name="repeats"/> measured steps after <paramref name="warmup"/> unmeasured ones.</summary>
    /// <param name="loss">The loss module.</param>
    /// <param name="inputs">Inputs (gradients are cleared before each step).</param>
    /// <param name="threads">torch intra-op threads for the run (restored afterwards).</param>
    /// <param name="warmup">Unmeasured steps first.</param>
    /// <param name="repeats">Measured steps.</param>
    public static IReadOnlyList<LossProfile> Run(NortonLoss loss, ProfileInputs inputs, int threads = 2, int warmup = 1, int repeats = 3)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(inputs);
        int before = torch.get_num_threads();
        torch.set_num_threads(threads);
        try
        {
            for (int i = 0; i < warmup; i++) Step(loss, inputs);
            var results = new List<LossProfile>();
            for (int i = 0; i < repeats; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                ResetPeak();
                results.Add(Step(loss, inputs));
            }
            return results;
        }
        finally
        {
            torch.set_num_threads(before);
        }
    }

    /// <summary>One forward + backward, timed.</summary>
    public static LossProfile Step(NortonLoss loss, ProfileInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(inputs);
        inputs.ZeroGrad();
        using var scope = NewDisposeScope();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using var output = loss.Forward(inputs.Video, inputs.Text);
        double forward = clock.Elapsed.TotalSeconds;
        clock.Restart();
        output.Loss.backward();
        double backward = clock.Elapsed.TotalSeconds;
        process.Refresh();
        double cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        return new LossProfile(forward, backward, PeakResidentBytes(), output.Loss.to(ScalarType.Float64).item<double>(), cpuSeconds);
    }

    /// <summary>Whole-process peak resident memory (VmHWM), or -1 where /proc is not available.</summary>
    public static long PeakResidentBytes() => ReadStatusKb("VmHWM:") is long kb ? kb * 1024 : -1;

    /// <summary>Current resident memory (VmRSS), or -1.</summary>
    public static long ResidentBytes() => ReadStatusKb("VmRSS:") is long kb ? kb * 1024 : -1;

    /// <summary>Resets the peak (VmHWM) to the current resident size; false where that is not possible.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    private static long? ReadStatusKb(string key)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(key, StringComparison.Ordinal))
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return null;
    }
}
