using Norton.Core.Native;
using TorchSharp;
using Xunit;

namespace Norton.Core.Tests;

public class NativeLoadTests
{
    [Fact]
    public void TorchOpRunsAfterNativeFix()
    {
        NortonNative.EnsureInitialized();
        using var a = torch.arange(6, dtype: torch.float64).reshape(2, 3);
        using var b = a.matmul(a.T);
        // [[0,1,2],[3,4,5]] @ its transpose = [[5,14],[14,50]]
        Assert.Equal(new[] { 5.0, 14.0, 14.0, 50.0 }, b.data<double>().ToArray());
    }

    [Fact]
    public void LoadedLibTorchSharpHasWeakGlibcxxRequirement()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        string file = Path.Combine(dir, LibTorchSharpPatcher.LibraryFileName);
        Assert.True(File.Exists(file), $"expected {file}");
        Assert.False(LibTorchSharpPatcher.NeedsPatch(file));
    }

    [Fact]
    public void PatcherSetsWeakFlagOnAnUnpatchedCopy()
    {
        // An unpatched copy (weak bit cleared): the patcher sets it, is idempotent, and changes nothing else.
        string src = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", LibTorchSharpPatcher.LibraryFileName);
        string tmp = Path.Combine(Path.GetTempPath(), $"norton-elf-{Guid.NewGuid():N}.so");
        try
        {
            byte[] bytes = File.ReadAllBytes(src);
            int flags = LibTorchSharpPatcher.FindFlagsOffset(bytes, src);
            Assert.True(flags > 0, "the TorchSharp build in use asks for GLIBCXX_3.4.32");
            bytes[flags] &= unchecked((byte)~2); // clear VER_FLG_WEAK
            File.WriteAllBytes(tmp, bytes);
            Assert.True(LibTorchSharpPatcher.NeedsPatch(tmp));
            Assert.Equal(LibTorchSharpPatcher.Outcome.Patched, LibTorchSharpPatcher.Patch(tmp));
            Assert.False(LibTorchSharpPatcher.NeedsPatch(tmp));
            Assert.Equal(LibTorchSharpPatcher.Outcome.AlreadyWeak, LibTorchSharpPatcher.Patch(tmp));
            byte[] after = File.ReadAllBytes(tmp);
            Assert.Equal(File.ReadAllBytes(src), after);
        }
        finally { File.Delete(tmp); }
    }

    [Fact]
    public void PatcherRejectsNonElfFile()
    {
        string tmp = Path.Combine(Path.GetTempPath(), $"norton-notelf-{Guid.NewGuid():N}.so");
        File.WriteAllText(tmp, "not an elf file at all, but long enough to have a header of sixty-four bytes......");
        try { Assert.Throws<InvalidDataException>(() => LibTorchSharpPatcher.Patch(tmp)); }
        finally { File.Delete(tmp); }
    }

    [Fact]
    public void RunTimeFallbackFixesAPrivateCopyAndLeavesTheShippedFileAlone()
    {
        // An unpatched "shipped" copy (weak bit cleared), as in a fresh NuGet cache on Debian 12.
        string src = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", LibTorchSharpPatcher.LibraryFileName);
        string work = Path.Combine(Path.GetTempPath(), $"norton-native-{Guid.NewGuid():N}");
        string shipped = Path.Combine(work, "package", LibTorchSharpPatcher.LibraryFileName);
        string? before = Environment.GetEnvironmentVariable(NortonNative.CacheDirectoryVariable);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(shipped)!);
            byte[] bytes = File.ReadAllBytes(src);
            bytes[LibTorchSharpPatcher.FindFlagsOffset(bytes, src)] &= unchecked((byte)~2);
            File.WriteAllBytes(shipped, bytes);
            Environment.SetEnvironmentVariable(NortonNative.CacheDirectoryVariable, Path.Combine(work, "cache"));

            string copy = NortonNative.PrivateFixedCopy(shipped);
            Assert.StartsWith(Path.Combine(work, "cache") + "/", copy, StringComparison.Ordinal);
            Assert.False(LibTorchSharpPatcher.NeedsPatch(copy));
            Assert.Equal(bytes, File.ReadAllBytes(shipped)); // the shipped file is untouched
            Assert.Equal(File.ReadAllBytes(src), File.ReadAllBytes(copy)); // the fix is the two flag bytes only
            DateTime written = File.GetLastWriteTimeUtc(copy);
            Assert.Equal(copy, NortonNative.PrivateFixedCopy(shipped)); // reused, not rewritten
            Assert.Equal(written, File.GetLastWriteTimeUtc(copy));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(copy)!)); // no temporary file left behind
        }
        finally
        {
            Environment.SetEnvironmentVariable(NortonNative.CacheDirectoryVariable, before);
            Directory.Delete(work, true);
        }
    }

    [Fact]
    public void PatcherReplacesTheFileInsteadOfWritingIntoIt()
    {
        // A hard link shares its bytes with the original (the NuGet cache's file, say): patching the link must leave
        // the original as it was.
        string src = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", LibTorchSharpPatcher.LibraryFileName);
        string work = Path.Combine(Path.GetTempPath(), $"norton-link-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            string original = Path.Combine(work, "original.so"), link = Path.Combine(work, "link.so");
            byte[] bytes = File.ReadAllBytes(src);
            bytes[LibTorchSharpPatcher.FindFlagsOffset(bytes, src)] &= unchecked((byte)~2);
            File.WriteAllBytes(original, bytes);
            Assert.Equal(0, Link(original, link));
            Assert.Equal(LibTorchSharpPatcher.Outcome.Patched, LibTorchSharpPatcher.Patch(link));
            Assert.True(LibTorchSharpPatcher.NeedsPatch(original));
            Assert.False(LibTorchSharpPatcher.NeedsPatch(link));
        }
        finally { Directory.Delete(work, true); }
    }

    [Fact]
    public void NortonCoreDoesNoWorkWhenItLoads()
    {
        // No module initializer: it would run on assembly load, in every process that merely references Norton.Core.
        var flags = System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static;
        var initializers = typeof(NortonNative).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(flags))
            .Where(m => m.IsDefined(typeof(System.Runtime.CompilerServices.ModuleInitializerAttribute), false))
            .Select(m => $"{m.DeclaringType}.{m.Name}")
            .ToList();
        Assert.Empty(initializers);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string created);
}
