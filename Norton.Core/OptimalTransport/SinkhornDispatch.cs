using TorchSharp;

namespace Norton.Core.OptimalTransport;

/// <summary>
/// Picks the backend of <see cref="SinkhornOptions.Backend"/>: the one named (or an <see cref="ArgumentException"/>
/// saying why it cannot run the problem, never a silent fallback), or under Auto the fastest that can run it.
/// </summary>
internal static class SinkhornDispatch
{
    private static readonly ISinkhornBackend[] Backends = [FusedSinkhornKernel.Instance, StabilizedScaling.Instance, SinkhornIteration.Instance];

    public static (SinkhornIteration.Output Output, SinkhornBackend Backend) Run(SinkhornRun run)
    {
        var requested = run.Options.Backend;
        if (requested == SinkhornBackend.Auto) return RunAuto(run);

        var backend = Array.Find(Backends, b => b.Kind == requested)
            ?? throw new ArgumentOutOfRangeException(nameof(run), requested, "unknown SinkhornBackend");
        var output = (backend.CannotRun(run) is { } why ? null : backend.Run(run, out why))
            ?? throw new ArgumentException(
                $"SinkhornOptions.Backend is {requested}, which cannot run this problem: {why}. " +
                $"Choose {SinkhornBackend.Auto} or {SinkhornBackend.LogDomain}.", "options");
        return (output, requested);
    }

    // Today's choices, from shapes, dtype, device and options: the fused kernel for what it can run; scaling for large
    // detached problems (its range test, a value read, shares the checks' one transfer, or with the checks off reads
    // CPU scores in place; a spread the dtype cannot hold sends the problem on to the log domain); the log domain for
    // everything else. With value checks off and scores on a device Auto never picks a backend that reads a value.
    private static (SinkhornIteration.Output, SinkhornBackend) RunAuto(SinkhornRun run)
    {
        if (FusedSinkhornKernel.Instance.CannotRun(run) is null
            && FusedSinkhornKernel.Instance.Run(run, out _) is { } fused)
            return (fused, SinkhornBackend.FusedCpu);
        if ((run.Options.CheckValues || run.Scores.device_type == DeviceType.CPU) && StabilizedScaling.Instance.CannotRun(run) is null && StabilizedScaling.WorthIt(run)
            && StabilizedScaling.Instance.Run(run, out _) is { } scaled)
            return (scaled, SinkhornBackend.Scaling);
        return (SinkhornIteration.Instance.Run(run, out _)!, SinkhornBackend.LogDomain);
    }
}
