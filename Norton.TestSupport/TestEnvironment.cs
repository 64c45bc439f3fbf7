using Norton.Core.Native;
using TorchSharp;

namespace Norton.TestSupport;

/// <summary>Process-wide setup for test assemblies: native load fix and a sane torch thread count.</summary>
public static class TestEnvironment
{
    private static readonly object Gate = new();
    private static bool _done;

    /// <summary>Idempotent; every test assembly's module initializer calls it.</summary>
    public static void Initialize()
    {
        lock (Gate)
        {
            if (_done) return;
            NortonNative.EnsureInitialized();
            // xunit runs test classes in parallel on the machine's 2 cores: one intra-op thread per test keeps
            // torch from oversubscribing them.
            torch.set_num_threads(1);
            _done = true;
        }
    }

    /// <summary>
    /// The folder holding <c>golden/</c> and <c>fixtures/</c>: the repository's testdata/ (kept under this name for
    /// existing callers; new code uses <see cref="TestDataPaths"/>).
    /// </summary>
    public static string SharedDirectory => TestDataPaths.Directory;

    /// <summary>Folders named by a colon-separated environment variable, plus the given default.</summary>
    public static IReadOnlyList<string> FoldersFrom(string defaultFolder, string environmentVariable)
    {
        var folders = new List<string> { defaultFolder };
        string? extra = Environment.GetEnvironmentVariable(environmentVariable);
        if (!string.IsNullOrWhiteSpace(extra))
            folders.AddRange(extra.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return folders;
    }
}
