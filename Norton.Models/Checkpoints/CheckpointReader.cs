using Norton.Core.Validation;
using Norton.Models.Serialization;
using static TorchSharp.torch;

namespace Norton.Models.Checkpoints;

/// <summary>
/// Reads a state dict from a <c>torch.save</c> file (the zip format of PyTorch ≥ 1.6 or the legacy format before it,
/// e.g. <c>s3d_howto100m.pth</c>), a fairseq checkpoint such as the released <c>checkpoint_best.pt</c>, or a
/// safetensors file, into plain tensors. No Python is needed.
/// </summary>
/// <remarks>
/// <para><b>No code from the file runs.</b> <c>torch.save</c> files are Python pickles; they are read by
/// <see cref="TorchCheckpointFile"/>'s restricted unpickler, which rebuilds only tensors, containers and numpy values and
/// keeps every other class (fairseq's argparse.Namespace, meters, …) as an inert placeholder. Safetensors files hold no
/// code. Every zip record's CRC-32 is checked, so a damaged file fails instead of giving wrong weights.</para>
/// <para>Dictionaries are unwrapped as the reference loader does: into <c>"state_dict"</c> if present, then into
/// <c>"model"</c>; a leading <c>mmmodel.</c> is removed from every key. <c>tools/export_checkpoint.py</c> is an optional
/// tool that writes the same weights as a small float32 file.</para>
/// </remarks>
public static class CheckpointReader
{
    /// <summary>The key prefix that fairseq's <c>MMPTModel</c> wrapper adds.</summary>
    public const string FairseqPrefix = "mmmodel.";

    /// <summary>Reads every tensor of the state dict in <paramref name="path"/>. The caller owns (and disposes) them.</summary>
    /// <param name="path">A <c>.pt</c>/<c>.pth</c>/<c>.bin</c> file written by <c>torch.save</c> (zip or legacy), or a <c>.safetensors</c> file.</param>
    /// <returns>Key → tensor, keys without the <c>mmmodel.</c> prefix, in the file's dtypes (float16 stays float16).</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="CheckpointFormatException">Truncated, corrupt (a CRC-32 mismatch), not a state dict, or not a checkpoint.</exception>
    public static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Guard.FileExists(path, "checkpoint file");

        byte[] head = new byte[9];
        int got;
        using (var probe = File.OpenRead(path)) got = probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        long length = new FileInfo(path).Length;
        try
        {
            if (got == 9 && head[8] == (byte)'{' && !ZipLike(head))
                return StripPrefix(SafetensorsFile.Load(path));
            if (got < 4)
                throw new CheckpointFormatException(path, $"only {length} bytes: the file is empty or truncated.");
            if (!ZipLike(head) && head[0] != 0x80)
                throw new CheckpointFormatException(path, "neither a torch.save file (zip or legacy) nor a safetensors file.");
            using var checkpoint = TorchCheckpointFile.Load(path);
            return StripPrefix(checkpoint.TakeStateDict());
        }
        catch (SerializedDataException e)
        {
            throw new CheckpointFormatException(path, $"truncated or corrupt checkpoint, or not a state dict: {e.Problem}", e);
        }
    }

    private static bool ZipLike(byte[] head) => head[0] == 0x50 && head[1] == 0x4B && head[2] == 0x03 && head[3] == 0x04;

    private static Dictionary<string, Tensor> StripPrefix(Dictionary<string, Tensor> source)
    {
        var result = new Dictionary<string, Tensor>(source.Count, StringComparer.Ordinal);
        foreach (var (key, value) in source)
            result[key.StartsWith(FairseqPrefix, StringComparison.Ordinal) ? key[FairseqPrefix.Length..] : key] = value;
        return result;
    }
}
