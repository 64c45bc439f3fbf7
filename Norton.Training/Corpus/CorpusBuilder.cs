using Norton.Models.Data;
using static TorchSharp.torch;

namespace Norton.Training.Corpus;

/// <summary>
/// Builds a corpus folder from per-video S3D features (<c>&lt;id&gt;.npy</c>, as <c>norton extract-features</c> writes
/// them) and tokenised captions (<see cref="TokenizedCaptionFile"/>): the videos that have both, in the caption file's
/// order, sharded by <see cref="CorpusWriter"/> (docs/training-data.md).
/// </summary>
public static class CorpusBuilder
{
    /// <summary>What <see cref="Build"/> did.</summary>
    /// <param name="Written">Videos written.</param>
    /// <param name="WithoutFeatures">Captioned videos skipped for want of a feature file.</param>
    /// <param name="WithoutCaptions">Feature files skipped for want of captions.</param>
    public sealed record Summary(int Written, int WithoutFeatures, int WithoutCaptions);

    /// <summary>Writes <paramref name="output"/>'s split from <paramref name="features"/> and <paramref name="captions"/>.</summary>
    /// <param name="features">Folder of <c>&lt;id&gt;.npy</c> files, (seconds, 512).</param>
    /// <param name="captions">The tokenize output folder or its file.</param>
    /// <param name="output">The corpus folder.</param>
    /// <param name="options">Split, shard size, float16 (the original's when null).</param>
    /// <exception cref="DirectoryNotFoundException">No features folder.</exception>
    /// <exception cref="InvalidDataException">A malformed feature or caption file, or no video with both; the message names it.</exception>
    public static Summary Build(string features, string captions, string output, CorpusWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(features);
        ArgumentException.ThrowIfNullOrEmpty(captions);
        ArgumentException.ThrowIfNullOrEmpty(output);
        if (!Directory.Exists(features)) throw new DirectoryNotFoundException($"the features folder '{features}' does not exist.");
        var available = Directory.EnumerateFiles(features, "*.npy").Select(p => Path.GetFileNameWithoutExtension(p)).ToHashSet(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        int missing = 0;
        using var writer = new CorpusWriter(output, options);
        foreach (var entry in TokenizedCaptionFile.Read(captions))
        {
            if (!available.Contains(entry.Video))
            {
                missing++;
                continue;
            }
            if (entry.Ids.Length == 0 || !used.Add(entry.Video)) continue;
            string path = S3DFeatureFile.PathOf(features, entry.Video);
            using var scope = NewDisposeScope();
            using var tensor = S3DFeatureFile.Read(path);
            float[] values = tensor.data<float>().ToArray();
            try
            {
                writer.AddTokenized(entry.Video, values, (int)tensor.shape[1], entry.Start, entry.End, entry.Ids);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{path}: {e.Message}", e);
            }
        }
        if (writer.Count == 0)
            throw new InvalidDataException(
                $"no video has both captions in '{captions}' and features in '{features}' ({available.Count} feature files, {missing} captioned videos without features).");
        writer.Complete();
        return new Summary(writer.Count, missing, available.Count - used.Count);
    }
}
