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
}
