namespace Norton.Losses;

/// <summary>
/// The transfer counter of Norton.Core's read helper (<see cref="Norton.Core.Validation.HostReads"/>), which both the
/// loss's value checks and the Sinkhorn solver go through, exposed to this package's tests: a count covers one whole
/// loss call, solver included (docs/performance.md, "Host reads of the loss").
/// </summary>
internal static class HostReads
{
    /// <summary>Transfers made on this thread since the last <see cref="Reset"/> (for tests).</summary>
    internal static int Count => Norton.Core.Validation.HostReads.Count;

    /// <summary>Reads made in place from CPU memory on this thread since the last <see cref="Reset"/> (for tests): no
    /// transfer, so not in <see cref="Count"/>.</summary>
    internal static int InPlaceCount => Norton.Core.Validation.HostReads.InPlaceCount;

    /// <summary>Starts counting from zero on this thread.</summary>
    internal static void Reset() => Norton.Core.Validation.HostReads.Reset();
}
