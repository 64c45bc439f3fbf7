using static TorchSharp.torch;

namespace Norton.Losses;

/// <summary>
/// The gradients one <see cref="FineGrainedSimilarity"/>'s backward handed to autograd, disposed on that operator's
/// next forward or backward (see <see cref="FineGrainedLseFunction"/> for why). Scoped to the operator: two losses, or
/// two threads each with its own loss, never dispose each other's tensors.
/// </summary>
internal sealed class FineGrainedPendingGradients
{
    private readonly object _gate = new();
    private List<Tensor> _pending = [];

    /// <summary>Gradients waiting to be disposed (for tests).</summary>
    internal int Count
    {
        get { lock (_gate) return _pending.Count; }
    }

    /// <summary>Keeps gradients until the next <see cref="Release"/>.</summary>
    internal void Add(Tensor a, Tensor b)
    {
        lock (_gate) _pending.AddRange([a, b]);
    }

    /// <summary>Disposes the gradients kept so far (the graph copied them when the backward that made them returned).</summary>
    internal void Release()
    {
        List<Tensor> done;
        lock (_gate)
        {
            if (_pending.Count == 0) return;
            (done, _pending) = (_pending, []);
        }
        foreach (var t in done) t.Dispose();
    }
}
