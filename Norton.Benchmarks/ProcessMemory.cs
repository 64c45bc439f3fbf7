using System.Diagnostics;

namespace Norton.Benchmarks;

/// <summary>The process's peak resident memory.</summary>
public static class ProcessMemory
{
    /// <summary>
    /// Peak resident set in bytes: Linux's VmHWM from /proc/self/status (it counts native allocations such as libtorch's
    /// tensors), else <see cref="Process.PeakWorkingSet64"/>.
    /// </summary>
    public static long PeakBytes()
    {
        const string file = "/proc/self/status";
        if (File.Exists(file))
        {
            foreach (string line in File.ReadLines(file))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && long.TryParse(parts[1], out long kb)) return kb * 1024;
            }
        }
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }
}
