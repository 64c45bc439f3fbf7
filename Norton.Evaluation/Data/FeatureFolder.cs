using Norton.Models.Data;
using static TorchSharp.torch;

namespace Norton.Evaluation.Data;

/// <summary>
/// A folder of per-second video features, one <c>&lt;video id&gt;.npy</c> of shape (T, D) per video (the config's
/// <c>vfeat_dir</c>; S3D features are float16 (T, 512)).
/// </summary>
public sealed class FeatureFolder
{
    /// <summary>Creates a reader for a folder.</summary>
    /// <param name="directory">The folder.</param>
    /// <param name="expectedWidth">D the model takes; files of another width are refused. Null accepts any.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public FeatureFolder(string directory, int? expectedWidth)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!System.IO.Directory.Exists(directory))
            throw new DirectoryNotFoundException($"feature folder {directory} (the config's vfeat_dir) not found.");
        Directory = directory;
        ExpectedWidth = expectedWidth;
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>The feature width required, if any.</summary>
    public int? ExpectedWidth { get; }

    /// <summary>The file of one video.</summary>
    public string PathOf(string videoId) => Path.Combine(Directory, videoId + ".npy");

    /// <summary>Whether the video has a feature file.</summary>
    public bool Contains(string videoId) => File.Exists(PathOf(videoId));

    /// <summary>Loads one video's features as a float32 CPU tensor (T, D).</summary>
    /// <exception cref="FileNotFoundException">No feature file; the message names it.</exception>
    /// <exception cref="InvalidDataException">Not 2-D, no rows, not floating point, or the wrong width; the message
    /// names the file.</exception>
    public Tensor Load(string videoId)
    {
        string path = PathOf(videoId);
        if (!File.Exists(path))
            throw new FileNotFoundException($"feature file {path} for video '{videoId}' not found.", path);
        NpyHeader header = NpyFile.ReadHeader(path);
        if (header.Shape.Count != 2 || header.Shape[0] < 1)
            throw new InvalidDataException($"{path}: expected features of shape (T, D) with T ≥ 1; got ({string.Join(", ", header.Shape)}).");
        if (ExpectedWidth is int width && header.Shape[1] != width)
            throw new InvalidDataException($"{path}: expected features of width {width} (the model's input), got ({string.Join(", ", header.Shape)}).");
        Tensor raw = NpyFile.Read(path);
        if (raw.dtype == ScalarType.Float32)
            return raw;
        using (raw)
        {
            if (!raw.is_floating_point())
                throw new InvalidDataException($"{path}: expected floating-point features, got {raw.dtype}.");
            return raw.to(ScalarType.Float32);
        }
    }
}
