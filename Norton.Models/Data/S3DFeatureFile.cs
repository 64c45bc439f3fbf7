using static TorchSharp.torch;

namespace Norton.Models.Data;

/// <summary>
/// Per-video S3D features as the original stores them (docs/original-model.md §2.1, §3.1): <c>&lt;video id&gt;.npy</c>, shape
/// (T, 512), one row per second, float16 (float32 and float64 are accepted too), L2-normalised rows.
/// </summary>
public static class S3DFeatureFile
{
    /// <summary>Width of an S3D <c>video_embedding</c>.</summary>
    public const int FeatureWidth = 512;

    /// <summary>Reads a feature file as a float32 (T, 512) CPU tensor.</summary>
    /// <param name="path">The .npy file.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">
    /// Not a .npy file, truncated, not floating point, or not (T, 512); the message names the file and the shape.
    /// </exception>
    public static Tensor Read(string path)
    {
        NpyHeader header = NpyFile.ReadHeader(path);
        if (!header.ElementType.IsFloatingPoint() || header.Shape.Count != 2 || header.Shape[1] != FeatureWidth)
            throw new InvalidDataException(
                $"{path}: expected S3D features of shape (T, {FeatureWidth}) in float16/32/64, found ({string.Join(", ", header.Shape)}) of {header.ElementType}.");
        using var raw = NpyFile.Read(path);
        return raw.to(ScalarType.Float32, copy: true);
    }

    /// <summary>The feature file of <paramref name="videoId"/> in <paramref name="directory"/>: <c>&lt;id&gt;.npy</c>.</summary>
    public static string PathOf(string directory, string videoId) => Path.Combine(directory, videoId + ".npy");
}
