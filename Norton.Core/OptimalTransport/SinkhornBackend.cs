namespace Norton.Core.OptimalTransport;

/// <summary>
/// Which implementation of the Sinkhorn sweeps <see cref="Sinkhorn.Solve"/> runs. All compute the same iterate (rows
/// first, then columns); they differ in speed and in what they support. See docs/api-guide.md (Sinkhorn).
/// </summary>
public enum SinkhornBackend
{
    /// <summary>
    /// Let the solver choose: <see cref="FusedCpu"/> where it can run, else (with
    /// <see cref="SinkhornOptions.CheckValues"/> on) <see cref="Scaling"/> for detached problems of at least 4,096
    /// entries whose kernel spread the dtype can hold, else <see cref="LogDomain"/>. The candidates follow from shapes,
    /// dtype, device and options; the spread is read in the transfer of the value checks, so Auto never adds a read.
    /// Never reported on a result.
    /// </summary>
    Auto,

    /// <summary>Log-domain torch ops: any device, masks, autograd, annealing, relaxation, tolerance.</summary>
    LogDomain,

    /// <summary>
    /// Scaling (kernel) domain with absorption, two batched matrix-vector products per sweep: detached, unmasked,
    /// unrelaxed, unannealed problems without a tolerance, at least one sweep, kernel spread within the dtype's range.
    /// Its range test reads the spread (one device-to-host transfer, shared with the value checks when those are on).
    /// </summary>
    Scaling,

    /// <summary>
    /// A fused kernel over the tensor memory for batches of small problems: CPU, float32/float64, detached, unmasked,
    /// unrelaxed, unannealed, at most 64 rows and columns (bucket included).
    /// </summary>
    FusedCpu,
}
