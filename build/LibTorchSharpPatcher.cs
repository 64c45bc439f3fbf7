// Shared by Norton.Core (run-time fallback, on a private copy) and by the MSBuild task in Norton.TorchSharpNative.targets
// (build time, on the copy in the build output).
// Compiled by the Roslyn code-task factory without NORTON_CORE, so the MSBuild task class below is only seen there.
#nullable enable
using System;
using System.IO;
using System.Text;

namespace Norton.Core.Native
{
    /// <summary>
    /// Marks the <c>GLIBCXX_3.4.32</c> version requirement of TorchSharp's <c>libLibTorchSharp.so</c> as weak.
    /// </summary>
    /// <remarks>
    /// TorchSharp 0.107 is built with GCC 13 and asks for <c>GLIBCXX_3.4.32</c>, which Debian 12 and Ubuntu 22.04
    /// (libstdc++ up to 3.4.30) lack; the only symbol at that version is <c>std::ios_base_library_init</c>, a marker
    /// that no relocation references. With the <c>VER_FLG_WEAK</c> bit set in its <c>.gnu.version_r</c> entry the
    /// dynamic loader accepts the library on those systems and behaves exactly as before everywhere else.
    /// </remarks>
    internal static class LibTorchSharpPatcher
    {
        /// <summary>The file name of TorchSharp's native glue library on Linux.</summary>
        public const string LibraryFileName = "libLibTorchSharp.so";

        private const string WeakenedVersion = "GLIBCXX_3.4.32";
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlagWeak = 0x2;

        /// <summary>Outcome of <see cref="Patch(string)"/>.</summary>
        public enum Outcome
        {
            /// <summary>The flag was set now.</summary>
            Patched,
            /// <summary>The flag was set already.</summary>
            AlreadyWeak,
            /// <summary>The file does not ask for the version (another TorchSharp build): nothing to do.</summary>
            NotNeeded,
        }

        /// <summary>Sets the weak flag on the GLIBCXX_3.4.32 requirement of the ELF file at <paramref name="path"/>.</summary>
        /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF file.</exception>
        public static Outcome Patch(string path)
        {
            byte[] elf = File.ReadAllBytes(path);
            int flagOffset = FindFlagsOffset(elf, path);
            if (flagOffset < 0)
                return Outcome.NotNeeded;
            ushort flags = BitConverter.ToUInt16(elf, flagOffset);
            if ((flags & VerFlagWeak) != 0)
                return Outcome.AlreadyWeak;
            flags |= VerFlagWeak;
            elf[flagOffset] = (byte)(flags & 0xff);
            elf[flagOffset + 1] = (byte)(flags >> 8);
            // A new file renamed over the old one, never a write into it: the path may be a hard link (or the only
            // copy) of a file that other applications share, such as the NuGet cache's, which must stay as shipped.
            string temporary = path + ".norton-" + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                File.WriteAllBytes(temporary, elf);
                File.Replace(temporary, path, null);
            }
            finally
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
            return Outcome.Patched;
        }

        /// <summary>True when the file asks for GLIBCXX_3.4.32 with a non-weak requirement.</summary>
        public static bool NeedsPatch(string path)
        {
            byte[] elf = File.ReadAllBytes(path);
            int flagOffset = FindFlagsOffset(elf, path);
            return flagOffset >= 0 && (BitConverter.ToUInt16(elf, flagOffset) & VerFlagWeak) == 0;
        }

        // Returns the file offset of vna_flags of the GLIBCXX_3.4.32 Vernaux entry, or -1 when there is none.
        internal static int FindFlagsOffset(byte[] elf, string path)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException($"'{path}' is not an ELF file.");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException($"'{path}' is not a 64-bit little-endian ELF file (class {elf[4]}, data {elf[5]}).");

            long shoff = BitConverter.ToInt64(elf, 0x28);
            int shentsize = BitConverter.ToUInt16(elf, 0x3A);
            int shnum = BitConverter.ToUInt16(elf, 0x3C);
            for (int s = 0; s < shnum; s++)
            {
                int sh = checked((int)(shoff + (long)s * shentsize));
                if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed)
                    continue;
                int offset = checked((int)BitConverter.ToInt64(elf, sh + 0x18));
                int link = (int)BitConverter.ToUInt32(elf, sh + 0x28);
                int count = (int)BitConverter.ToUInt32(elf, sh + 0x2C);
                int strtab = checked((int)BitConverter.ToInt64(elf, checked((int)(shoff + (long)link * shentsize)) + 0x18));

                int need = offset;
                for (int n = 0; n < count; n++)
                {
                    int auxCount = BitConverter.ToUInt16(elf, need + 2);
                    int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        int name = strtab + (int)BitConverter.ToUInt32(elf, aux + 8);
                        if (ReadCString(elf, name) == WeakenedVersion)
                            return aux + 4;
                        uint nextAux = BitConverter.ToUInt32(elf, aux + 12);
                        if (nextAux == 0) break;
                        aux += (int)nextAux;
                    }
                    uint next = BitConverter.ToUInt32(elf, need + 12);
                    if (next == 0) break;
                    need += (int)next;
                }
            }
            return -1;
        }

        private static string ReadCString(byte[] data, int start)
        {
            int end = start;
            while (end < data.Length && data[end] != 0) end++;
            return Encoding.ASCII.GetString(data, start, end - start);
        }
    }

#if !NORTON_CORE
    /// <summary>
    /// MSBuild task: weakens the GLIBCXX_3.4.32 requirement of every given libLibTorchSharp.so. Given only the copies in
    /// the build or publish output; the patcher replaces each file instead of writing into it, so a hard-linked source
    /// stays untouched.
    /// </summary>
    public sealed class NortonPatchLibTorchSharp : Microsoft.Build.Utilities.Task
    {
        /// <summary>Candidate files; those not named libLibTorchSharp.so or missing are skipped.</summary>
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <inheritdoc />
        public override bool Execute()
        {
            foreach (var item in Files)
            {
                string path = item.GetMetadata("FullPath");
                if (!string.Equals(Path.GetFileName(path), LibTorchSharpPatcher.LibraryFileName, StringComparison.Ordinal) || !File.Exists(path))
                    continue;
                try
                {
                    var outcome = LibTorchSharpPatcher.Patch(path);
                    if (outcome == LibTorchSharpPatcher.Outcome.Patched)
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, $"Norton: marked GLIBCXX_3.4.32 weak in {path}");
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
                {
                    // Not fatal for the build: NortonNative's run-time fallback can still load a fixed private copy.
                    Log.LogWarning($"Norton: could not patch {path}: {e.Message}");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
