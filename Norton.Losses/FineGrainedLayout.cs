namespace Norton.Losses;

/// <summary>How <see cref="FineGrainedSimilarity"/> lays out the word and frame slots of a masked batch.</summary>
internal enum FineGrainedLayout
{
    /// <summary><see cref="Packed"/>, except with value checks off for tensors off the CPU, where the masks would cost
    /// a device-to-host transfer of their own: <see cref="Dense"/> there.</summary>
    Auto,

    /// <summary>Only valid slots, sorted by count and packed into chunks (<see cref="FineGrainedPlan"/>): the masks are
    /// read on the host (in the checks' one transfer with checks on; with them off, in place from CPU memory, or one
    /// transfer of their own for tensors on a device).</summary>
    Packed,

    /// <summary>Every slot of every item, in the input's order, the plan built from shapes alone; the masks are applied
    /// on the device (invalid slots get the padding slots' treatment), so nothing is read. More product work than
    /// <see cref="Packed"/> when many slots are masked; the original's dense arithmetic, with no host read.</summary>
    Dense,
}
