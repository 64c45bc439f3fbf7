namespace Norton.TestSupport;

/// <summary>The test process's resident memory, read from /proc (Linux).</summary>
public static class ProcessMemory
{
    /// <summary>Current resident memory (VmRSS) in bytes, or -1 where /proc is not available.</summary>
    public static long ResidentBytes()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return -1;
    }
}
