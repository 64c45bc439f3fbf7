using static TorchSharp.torch;

namespace Norton.Models.Serialization;

/// <summary>
/// What <see cref="TorchCheckpointFile"/> read: the whole unpickled object (<see cref="Root"/>, with TorchSharp tensors
/// where the file had tensors and inert placeholders for config objects), and its state dict. Owns every tensor it
/// made: dispose it, after taking copies (<see cref="TakeStateDict"/>) of what you keep.
/// </summary>
public sealed class TorchCheckpoint : IDisposable
{
    private readonly List<Tensor> _tensors;
    private bool _disposed;

    internal TorchCheckpoint(string source, object? root, TorchFileFormat format, List<Tensor> tensors)
    {
        Source = source;
        Root = root;
        Format = format;
        _tensors = tensors;
    }

    /// <summary>The file, for messages.</summary>
    public string Source { get; }

    /// <summary>The unpickled object: usually a dict (a state dict, or a fairseq checkpoint with "model", "args", …).</summary>
    public object? Root { get; }

    /// <summary>The container format of the file.</summary>
    public TorchFileFormat Format { get; }

    /// <summary>
    /// The state dict, unwrapped as the reference loader does: into <c>"state_dict"</c> if present, then into
    /// <c>"model"</c> if present. The tensors stay owned by this checkpoint.
    /// </summary>
    /// <exception cref="SerializedDataException">Not a dict of string keys and tensors (the message lists the offenders).</exception>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        object? table = Root;
        foreach (string wrapper in new[] { "state_dict", "model" })
            if (table is Dictionary<object, object?> d && d.TryGetValue(wrapper, out object? inner) && inner is Dictionary<object, object?>)
                table = inner;
        if (table is not Dictionary<object, object?> dict)
            throw new SerializedDataException(Source, $"holds a {PickleMachine.Describe(table)}, not a state dict (a dict of tensors); a pickled whole model cannot be read without Python");
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var wrong = new List<string>();
        foreach (var (key, value) in dict)
        {
            if (key is string name && value is Tensor t) result[name] = t;
            else wrong.Add($"{key} ({PickleMachine.Describe(value)})");
        }
        if (wrong.Count > 0 || result.Count == 0)
            throw new SerializedDataException(Source, result.Count == 0 && wrong.Count == 0
                ? "the pickled dictionary is empty: not a state dict"
                : $"not a flat state dict of tensors: {wrong.Count} entr{(wrong.Count == 1 ? "y is" : "ies are")} not tensors: {string.Join(", ", wrong.Take(10))}{(wrong.Count > 10 ? ", …" : "")}");
        return result;
    }

    /// <summary><see cref="StateDict"/> as new contiguous tensors that the caller owns (and disposes).</summary>
    /// <exception cref="SerializedDataException">Not a state dict.</exception>
    public Dictionary<string, Tensor> TakeStateDict() =>
        StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.is_contiguous() ? kv.Value.view(kv.Value.shape) : kv.Value.contiguous(), StringComparer.Ordinal);

    /// <summary>Disposes every tensor this checkpoint made.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var t in _tensors) t.Dispose();
    }
}
