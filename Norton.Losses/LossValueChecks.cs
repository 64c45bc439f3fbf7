using static TorchSharp.torch;

namespace Norton.Losses;

/// <summary>
/// The value checks of one loss call (finite features, 0/1 masks, a valid slot per row, no zero direction), batched:
/// each check adds a 0-dim bool "bad" flag computed on the device, and <see cref="Read"/> copies all flags, together
/// with any tensor the computation needs on the host (the fine-grained masks), in ONE transfer. Only when a flag is set
/// does the failing check run its detailed (slower) report, which throws the usual clear exception.
/// </summary>
/// <remarks>Disabled (<see cref="NortonLossOptions.CheckValues"/> false), checks are not even computed; payloads are
/// still read, so a call without payloads makes no transfer at all.</remarks>
internal sealed class LossValueChecks(bool enabled)
{
    private readonly List<(Tensor Bad, Action Report)> _checks = [];
    private readonly List<Tensor> _payloads = [];

    /// <summary>Whether value checks are computed.</summary>
    public bool Enabled { get; } = enabled;

    /// <summary>Adds a check: <paramref name="bad"/> builds a 0-dim bool tensor (true = bad input); <paramref name="report"/>
    /// throws the detailed exception and runs only when the flag is set. Checks report in the order they were added.</summary>
    public void Add(Func<Tensor> bad, Action report)
    {
        if (!Enabled) return;
        // Only the flag outlives the check: its temporaries (as large as the input) go now, not with the loss call.
        using var scope = NewDisposeScope();
        _checks.Add((bad().reshape(1).MoveToOuterDisposeScope(), report));
    }

    /// <summary>Queues a bool tensor to be read along with the flags; returns its index in <see cref="Read"/>'s result.</summary>
    public int AddPayload(Tensor boolTensor)
    {
        _payloads.Add(boolTensor.flatten());
        return _payloads.Count - 1;
    }

    /// <summary>Reads all flags and payloads in one transfer (none when there is nothing to read), throws for the first
    /// failed check, and returns the payloads (flattened) in the order they were added.</summary>
    /// <exception cref="ArgumentException">A check failed; the message is that check's.</exception>
    public bool[][] Read()
    {
        if (_checks.Count == 0 && _payloads.Count == 0) return [];
        using var scope = NewDisposeScope();
        var parts = _checks.Select(c => c.Bad).Concat(_payloads).ToArray();
        bool[] host = HostReads.Bools(parts.Length == 1 ? parts[0] : cat(parts, 0));
        for (int i = 0; i < _checks.Count; i++)
        {
            if (!host[i]) continue;
            _checks[i].Report();
            throw new InvalidOperationException("A loss input check flagged a value its report did not find; the input changed during the call.");
        }
        var result = new bool[_payloads.Count][];
        long at = _checks.Count;
        for (int p = 0; p < _payloads.Count; p++)
        {
            long len = _payloads[p].shape[0];
            result[p] = host.AsSpan((int)at, (int)len).ToArray();
            at += len;
        }
        return result;
    }
}
