using Norton.Core.Validation;
namespace Norton.Models.Serialization;

/// <summary>
/// Reads numpy <c>.npz</c> archives (<c>np.savez</c> and <c>np.savez_compressed</c>): a zip of <c>.npy</c> records,
/// each CRC-checked. Object arrays (which numpy itself only loads with <c>allow_pickle</c>) are refused.
/// </summary>
public static class NpzFile
{
    /// <summary>The most bytes one deflated record may expand to (numpy arrays beyond this are read with memory mapping, not from an npz).</summary>
    public const long MaxRecordBytes = 1L << 31;

    /// <summary>Reads every array of <paramref name="path"/>, keyed by name without the <c>.npy</c> suffix, in archive order.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="SerializedDataException">Not a zip, a damaged record or CRC, a malformed .npy inside.</exception>
    public static Dictionary<string, NumpyArray> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Guard.FileExists(path, "npz file");
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads every array of a seekable .npz stream.</summary>
    /// <exception cref="SerializedDataException">Not a zip, a damaged record or CRC, a malformed .npy inside.</exception>
    public static Dictionary<string, NumpyArray> Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek) throw Guard.Argument(nameof(stream), "be seekable", "CanSeek is false");
        try
        {
            var zip = ZipStore.Open(stream, sourceName);
            var result = new Dictionary<string, NumpyArray>(StringComparer.Ordinal);
            foreach (var record in zip.Records)
            {
                byte[] bytes = zip.ReadAll(record, MaxRecordBytes);
                string name = record.Name.EndsWith(".npy", StringComparison.Ordinal) ? record.Name[..^4] : record.Name;
                using var npy = new MemoryStream(bytes, writable: false);
                result[name] = NpyFormat.ReadArray(npy, $"{sourceName}[{record.Name}]");
            }
            return result;
        }
        catch (Exception e) when (e is not SerializedDataException and not OutOfMemoryException)
        {
            throw new SerializedDataException(sourceName, $"unreadable npz archive ({e.GetType().Name}: {e.Message})", e);
        }
    }
}
