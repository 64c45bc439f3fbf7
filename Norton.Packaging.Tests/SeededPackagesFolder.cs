using System.IO.Compression;
using Norton.Core.Native;

namespace Norton.Packaging.Tests;

/// <summary>
/// A NuGet global-packages folder for one test: every package of the machine's folder is linked in (no downloads,
/// nothing copied), except Norton's own packages, which must come fresh from the just-packed feed (their version
/// is fixed, so a cached copy would be stale), and TorchSharp, which is copied with its original, unpatched
/// <c>libLibTorchSharp.so</c>, so that the test sees what a consumer with a fresh NuGet cache sees.
/// </summary>
public sealed class SeededPackagesFolder
{
    private static readonly HashSet<string> Fresh = new(StringComparer.OrdinalIgnoreCase) { "norton.core", "norton.losses", "norton.models", "torchsharp" };

    private SeededPackagesFolder(string path, string? libTorchSharp)
    {
        Path = path;
        UnpatchedLibTorchSharp = libTorchSharp;
    }

    /// <summary>The folder (use as NUGET_PACKAGES / globalPackagesFolder).</summary>
    public string Path { get; }

    /// <summary>TorchSharp's native glue in this folder, as shipped (null when the machine's folder had no TorchSharp).</summary>
    public string? UnpatchedLibTorchSharp { get; }

    /// <summary>True when the shipped glue asks for GLIBCXX_3.4.32 (the trap Norton's fix removes).</summary>
    public bool TrapArmed => UnpatchedLibTorchSharp is not null && LibTorchSharpPatcher.NeedsPatch(UnpatchedLibTorchSharp);

    /// <summary>Builds the folder at <paramref name="path"/> from the machine's global packages folder.</summary>
    public static SeededPackagesFolder Create(string path, string machinePackages, string torchSharpVersion)
    {
        Directory.CreateDirectory(path);
        if (Directory.Exists(machinePackages))
            foreach (string dir in Directory.EnumerateDirectories(machinePackages))
            {
                string name = System.IO.Path.GetFileName(dir);
                if (!Fresh.Contains(name))
                    Directory.CreateSymbolicLink(System.IO.Path.Combine(path, name), dir);
            }

        string cached = System.IO.Path.Combine(machinePackages, "torchsharp", torchSharpVersion);
        string nupkg = System.IO.Path.Combine(cached, $"torchsharp.{torchSharpVersion}.nupkg");
        if (!File.Exists(nupkg))
            return new SeededPackagesFolder(path, null); // restore fetches it from the feed: it is fresh anyway

        string target = System.IO.Path.Combine(path, "torchsharp", torchSharpVersion);
        CopyPackage(cached, target);
        string relative = "runtimes/linux-x64/native/" + LibTorchSharpPatcher.LibraryFileName;
        string glue = System.IO.Path.Combine(target, relative);
        using (var zip = ZipFile.OpenRead(nupkg))
        {
            var entry = zip.GetEntry(relative);
            if (entry is null)
                return new SeededPackagesFolder(path, null);
            entry.ExtractToFile(glue, overwrite: true);
        }
        return new SeededPackagesFolder(path, glue);
    }

    /// <summary>Deletes a folder made by <see cref="Create"/> (links only, never what they point to).</summary>
    public static void DeleteTree(string path)
    {
        if (!Directory.Exists(path)) return;
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null) File.Delete(entry.FullName); // unlink, do not follow
            else if (entry is DirectoryInfo d) DeleteTree(d.FullName);
            else entry.Delete();
        }
        Directory.Delete(path);
    }

    // Copies an extracted package; leaves out what TorchSharp's notebook loader may have consolidated under
    // lib/<tfm>/ (copies of libtorch, hundreds of MB).
    private static void CopyPackage(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string rel = System.IO.Path.GetRelativePath(from, file);
            string[] parts = rel.Split(System.IO.Path.DirectorySeparatorChar);
            if (parts.Length > 3 && parts[0] == "lib") continue;
            string dest = System.IO.Path.Combine(to, rel);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(dest)!);
            File.Copy(file, dest, overwrite: true);
        }
    }
}
