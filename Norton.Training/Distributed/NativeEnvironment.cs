using System.Runtime.InteropServices;

namespace Norton.Training.Distributed;

/// <summary>
/// The process environment as native libraries see it. On Unix, <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// changes only .NET's own copy, which <c>getenv</c> in a native library (UCX, read by MPI_Init) never sees.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> in the native environment on Unix (an empty value stays set, unlike in
    /// .NET's copy, where it would delete the variable); on Windows in .NET's copy, which is the process's.</summary>
    /// <exception cref="InvalidOperationException">setenv failed.</exception>
    public static void Set(string name, string value)
    {
        if (OperatingSystem.IsWindows())
        {
            Environment.SetEnvironmentVariable(name, value);
            return;
        }
        if (SetEnv(name, value, 1) != 0)
            throw new InvalidOperationException($"setenv({name}) failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
