using System.Collections;
using System.Buffers.Binary;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Norton.Models.Checkpoints;

/// <summary>
/// Reads a state dict from a <c>torch.save</c> zip file (PyTorch ≥ 1.6) or a safetensors file into plain tensors.
/// </summary>
/// <remarks>
/// <para><b>No code from the file runs.</b> <c>torch.save</c> files are Python pickles, but TorchSharp.PyBridge's
/// unpickler (Razorvine.Pickle) has no Python interpreter: it rebuilds tensors (<c>torch._utils._rebuild_tensor*</c>),
/// <c>OrderedDict</c>s and plain data (dicts, lists, strings, numbers, datetime/decimal/set/bytearray); any other class
/// named in the pickle becomes an inert name-plus-state placeholder whose constructor is never looked up, and a
/// pickled <c>nn.Parameter</c> (a whole model instead of a state dict) is refused. Safetensors files hold no code.</para>
/// <para>The original fairseq checkpoints also pickle config objects; export them once with
/// <c>tools/export_checkpoint.py</c>. Dictionaries are unwrapped as the reference loader does: into
/// <c>"state_dict"</c> if present, then into <c>"model"</c>; a leading <c>mmmodel.</c> is removed from every key.</para>
/// </remarks>
public static class CheckpointReader
{
    /// <summary>The key prefix that fairseq's <c>MMPTModel</c> wrapper adds.</summary>
    public const string FairseqPrefix = "mmmodel.";

    /// <summary>Reads every tensor of the state dict in <paramref name="path"/>. The caller owns (and disposes) them.</summary>
    /// <param name="path">A <c>.pt</c>/<c>.pth</c>/<c>.bin</c> zip written by <c>torch.save</c>, or a <c>.safetensors</c> file.</param>
    /// <returns>Key → tensor, keys without the <c>mmmodel.</c> prefix, in the file's dtypes (float16 stays float16).</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="CheckpointFormatException">Truncated, corrupt, legacy format, not a state dict.</exception>
    public static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint file '{path}' does not exist.", path);

        byte[] head = new byte[9];
        int got;
        using (var probe = File.OpenRead(path)) got = probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        long length = new FileInfo(path).Length;

        if (got >= 4 && head[0] == 0x50 && head[1] == 0x4B && head[2] == 0x03 && head[3] == 0x04)
            return ReadTorchZip(path);
        if (got == 9 && head[8] == (byte)'{' && BinaryPrimitives.ReadUInt64LittleEndian(head) is var headerLength && headerLength + 8 <= (ulong)length)
            return ReadSafetensors(path);
        if (got == 9 && head[8] == (byte)'{')
            throw new CheckpointFormatException(path, $"looks like safetensors but its header claims more bytes than the file's {length}: the file is truncated.");
        throw new CheckpointFormatException(path, got < 4
            ? $"only {length} bytes: the file is empty or truncated."
            : "neither a torch.save zip archive (PyTorch ≥ 1.6) nor a safetensors file. A legacy (pre-1.6) torch.save file must first be re-saved with a recent PyTorch (trusted files only); then export it with tools/export_checkpoint.py.");
    }

    private static Dictionary<string, Tensor> ReadTorchZip(string path)
    {
        Hashtable table;
        try
        {
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: false);
        }
        catch (NotImplementedException ex)
        {
            throw new CheckpointFormatException(path, "holds something other than a state dict of tensors (" + ex.Message + ")", ex);
        }
        catch (Exception ex) when (ex.GetType().FullName == "Razorvine.Pickle.PickleException")
        {
            // The pickle names Python classes that only Python can rebuild (numpy arrays, fairseq meters, …).
            throw new CheckpointFormatException(path,
                $"holds Python objects besides tensors that .NET cannot rebuild ({ex.Message}). If this is a full fairseq checkpoint, export its weights with tools/export_checkpoint.py.", ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new CheckpointFormatException(path, $"truncated or corrupt torch.save archive ({ex.GetType().Name}: {ex.Message})", ex);
        }
        return Flatten(path, table);
    }

    private static Dictionary<string, Tensor> ReadSafetensors(string path)
    {
        try
        {
            return StripPrefix(Safetensors.LoadStateDict(path));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new CheckpointFormatException(path, $"truncated or corrupt safetensors file ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }

    private static Dictionary<string, Tensor> Flatten(string path, IDictionary table)
    {
        // The reference loader's unwrapping: ckpt["state_dict"] if present, then ["model"] if present.
        foreach (string wrapper in new[] { "state_dict", "model" })
            if (table.Contains(wrapper) && table[wrapper] is IDictionary inner)
                table = inner;

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var wrong = new List<string>();
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is string key && entry.Value is Tensor t) result[key] = t;
            else wrong.Add($"{entry.Key} ({entry.Value?.GetType().Name ?? "null"})");
        }
        if (wrong.Count > 0 || result.Count == 0)
        {
            foreach (var t in result.Values) t.Dispose();
            throw new CheckpointFormatException(path, result.Count == 0 && wrong.Count == 0
                ? "the pickled dictionary is empty: not a state dict."
                : $"not a flat state dict of tensors: {wrong.Count} entr{(wrong.Count == 1 ? "y is" : "ies are")} not tensors: {string.Join(", ", wrong.Take(10))}{(wrong.Count > 10 ? ", …" : "")}. Export fairseq checkpoints with tools/export_checkpoint.py.");
        }
        return StripPrefix(result);
    }

    private static Dictionary<string, Tensor> StripPrefix(Dictionary<string, Tensor> source)
    {
        var result = new Dictionary<string, Tensor>(source.Count, StringComparer.Ordinal);
        foreach (var (key, value) in source)
            result[key.StartsWith(FairseqPrefix, StringComparison.Ordinal) ? key[FairseqPrefix.Length..] : key] = value;
        return result;
    }
}
