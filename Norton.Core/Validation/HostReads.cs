using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core.Validation;

/// <summary>
/// The one way Norton.Core and Norton.Losses copy tensor values to the host on their hot paths (the Sinkhorn solve, the
/// loss). Each call is one device-to-host transfer (a sync on a GPU); routing them through here keeps them few and lets
/// the tests count them (docs/performance.md, "Host reads of the loss"). Error reports, which run only once a check
/// has failed, read what they need directly.
/// </summary>
internal static class HostReads
{
    [ThreadStatic] private static int _count;

    /// <summary>Transfers made on this thread since the last <see cref="Reset"/> (for tests).</summary>
    internal static int Count => _count;

    /// <summary>Starts counting from zero on this thread.</summary>
    internal static void Reset() => (_count, _inPlace) = (0, 0);

    /// <summary>Copies a bool tensor to the host in one transfer, flattened.</summary>
    internal static bool[] Bools(Tensor t)
    {
        _count++;
        using var scope = NewDisposeScope();
        return t.flatten().cpu().data<bool>().ToArray();
    }

    /// <summary>Reads made in place from CPU memory on this thread since the last <see cref="Reset"/> (for tests): no
    /// transfer and no sync, so not in <see cref="Count"/>.</summary>
    internal static int InPlaceCount => _inPlace;

    [ThreadStatic] private static int _inPlace;

    /// <summary>Reads one bool of a CPU tensor where it lies: not a device-to-host transfer (the value is in host
    /// memory already, and a CPU op has finished when it returns).</summary>
    /// <exception cref="InvalidOperationException">The tensor is not on the CPU (that read would be a transfer: use
    /// <see cref="Bools"/>).</exception>
    internal static bool InPlaceFlag(Tensor t) => InPlaceBools(t)[0];

    /// <summary>Reads a bool tensor of the CPU where it lies, flattened (row-major): not a device-to-host transfer
    /// (the values are in host memory already, and a CPU op has finished when it returns).</summary>
    /// <exception cref="InvalidOperationException">The tensor is not on the CPU (that read would be a transfer: use
    /// <see cref="Bools"/>).</exception>
    internal static bool[] InPlaceBools(Tensor t)
    {
        if (t.device_type != DeviceType.CPU)
            throw new InvalidOperationException($"An in-place read needs a CPU tensor, but this one is on {t.device}.");
        _inPlace++;
        using var scope = NewDisposeScope();
        return t.flatten().contiguous().data<bool>().ToArray();
    }

    /// <summary>Reads one bool (a 0-dim or one-element tensor) in one transfer.</summary>
    internal static bool Flag(Tensor t)
    {
        _count++;
        return t.item<bool>();
    }
}
