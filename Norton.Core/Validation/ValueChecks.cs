using static TorchSharp.torch;

namespace Norton.Core.Validation;

/// <summary>
/// The value checks of one call (finite inputs, valid masks, balanced marginals...), batched: each check adds a 0-dim
/// bool "bad" flag computed on the device, and <see cref="Read"/> copies all flags, together with any bool tensor the
/// computation itself needs on the host (a payload), in ONE transfer (<see cref="HostReads"/>). Only when a flag is set
/// does the failing check run its detailed (slower) report, which throws the usual clear exception.
/// </summary>
/// <remarks>Disabled, checks are not even computed; payloads are still read, so a call without payloads makes no
/// transfer at all. <see cref="Read"/> empties the queue: a second call reads nothing until more is added. Flags and
/// payloads live in the caller's dispose scope.</remarks>
internal class ValueChecks(bool enabled)
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
        using var noGrad = no_grad();
        // Only the flag outlives the check: its temporaries (as large as the input) go now, not with the call.
        using var scope = NewDisposeScope();
        _checks.Add((bad().reshape(1).MoveToOuterDisposeScope(), report));
    }

    /// <summary>Queues a bool tensor to be read along with the flags; returns its index in <see cref="Read"/>'s result.</summary>
    public int AddPayload(Tensor boolTensor)
    {
        _payloads.Add(boolTensor.flatten());
        return _payloads.Count - 1;
    }

    /// <summary>Reads all queued flags and payloads in one transfer (none when nothing is queued), throws for the first
    /// failed check, and returns the payloads (flattened) in the order they were added.</summary>
    /// <exception cref="ArgumentException">A check failed; the message is that check's.</exception>
    public bool[][] Read()
    {
        if (_checks.Count == 0 && _payloads.Count == 0) return [];
        var checks = _checks.ToArray();
        var payloads = _payloads.ToArray();
        _checks.Clear();
        _payloads.Clear();
        bool[] host;
        using (NewDisposeScope())
        {
            var parts = checks.Select(c => c.Bad).Concat(payloads).ToArray();
            host = HostReads.Bools(parts.Length == 1 ? parts[0] : cat(parts, 0));
        }
        for (int i = 0; i < checks.Length; i++)
        {
            if (!host[i]) continue;
            checks[i].Report();
            throw new InvalidOperationException("A value check flagged a value its report did not find; the input changed during the call.");
        }
        var result = new bool[payloads.Length][];
        long at = checks.Length;
        for (int p = 0; p < payloads.Length; p++)
        {
            long len = payloads[p].shape[0];
            result[p] = host.AsSpan((int)at, (int)len).ToArray();
            at += len;
        }
        return result;
    }
}
