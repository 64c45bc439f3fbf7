using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Models.Checkpoints;

/// <summary>
/// Copies a state dict onto a module by key (module paths equal the original PyTorch names), all or nothing.
/// </summary>
/// <remarks>
/// Every key, shape and dtype is checked before anything is copied; if anything does not fit, one
/// <see cref="CheckpointMismatchException"/> lists all missing keys, unexpected keys and mismatches. Floating
/// tensors are cast to the module's dtype (the fp16 fairseq weights become float32). An <c>*.position_ids</c>
/// buffer (transformers-3.x checkpoints carry it, exports may drop it) is optional: it is always 0..max_pos−1.
/// </remarks>
public static class CheckpointLoader
{
    /// <summary>Reads <paramref name="path"/> (see <see cref="CheckpointReader"/>) and loads it into <paramref name="module"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="CheckpointFormatException">The file is not a readable state dict.</exception>
    /// <exception cref="CheckpointMismatchException">Keys or shapes do not fit; the module is unchanged.</exception>
    public static CheckpointLoadReport Load(nn.Module module, string path, CheckpointLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        var stateDict = CheckpointReader.ReadStateDict(path);
        try
        {
            return Load(module, stateDict, options);
        }
        finally
        {
            foreach (var t in stateDict.Values) t.Dispose();
        }
    }

    /// <summary>Loads an in-memory state dict into <paramref name="module"/>. The source tensors are not disposed.</summary>
    /// <exception cref="CheckpointMismatchException">Keys or shapes do not fit; the module is unchanged.</exception>
    public static CheckpointLoadReport Load(nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict, CheckpointLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(stateDict);
        options ??= CheckpointLoadOptions.Strict;

        var source = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var skipped = new List<string>();
        foreach (var (key, tensor) in stateDict)
        {
            if (key.StartsWith(options.Prefix, StringComparison.Ordinal)) source[key[options.Prefix.Length..]] = tensor;
            else skipped.Add(key);
        }

        var target = module.state_dict();
        var loaded = new List<string>();
        var missing = new List<string>();
        var missingAllowed = new List<string>();
        var mismatched = new List<string>();
        foreach (var (key, destination) in target)
        {
            if (!source.TryGetValue(key, out var value))
            {
                if (options.AllowMissing || IsPositionIds(key)) missingAllowed.Add(key);
                else missing.Add(key);
                continue;
            }
            if (!value.shape.SequenceEqual(destination.shape) || !Compatible(value.dtype, destination.dtype))
                mismatched.Add($"{key}: checkpoint [{string.Join(", ", value.shape)}] {value.dtype}, module [{string.Join(", ", destination.shape)}] {destination.dtype}");
            else
                loaded.Add(key);
        }
        var unexpected = source.Keys.Where(k => !target.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var unexpectedErrors = options.AllowUnexpected ? [] : unexpected;
        if (missing.Count > 0 || unexpectedErrors.Count > 0 || mismatched.Count > 0)
            throw new CheckpointMismatchException(missing, unexpectedErrors, mismatched);

        using (no_grad())
        {
            foreach (string key in loaded)
            {
                using var scope = NewDisposeScope();
                var destination = target[key];
                destination.copy_(source[key].to(destination.dtype, destination.device));
            }
        }
        return new CheckpointLoadReport(loaded, missingAllowed, options.AllowUnexpected ? unexpected : [], skipped);
    }

    private static bool IsPositionIds(string key) => key == "position_ids" || key.EndsWith(".position_ids", StringComparison.Ordinal);

    // Floating weights may change precision (fp16 → fp32); integer buffers must stay integers.
    private static bool Compatible(ScalarType file, ScalarType module) =>
        IsFloating(file) == IsFloating(module) && (file == ScalarType.Bool) == (module == ScalarType.Bool);

    private static bool IsFloating(ScalarType t) =>
        t is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;
}
