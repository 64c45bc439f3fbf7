namespace Norton.Stress;

/// <summary>One training step of a stress workload; the caller opens a dispose scope around each step.</summary>
public interface IStressWorkload : IDisposable
{
    /// <summary>Runs one step (forward, backward, and where the workload has one, an optimiser step).</summary>
    void Step();
}

/// <summary>The workloads by name.</summary>
public static class Workloads
{
    /// <summary>Space-separated names.</summary>
    public const string Names =
        "loss sinkhorn-fused sinkhorn-scaling sinkhorn-torch sinkhorn-unrolled model fine-grained plain-torch plain-norton";

    /// <summary>Creates a workload.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="optimizer">norton or torch (the <c>model</c> workload's optimiser).</param>
    /// <param name="seed">Seed for the inputs and parameters.</param>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static IStressWorkload Create(string name, string optimizer, int seed) => name switch
    {
        "loss" => new LossWorkload(seed),
        "sinkhorn-fused" => new SinkhornWorkload(SinkhornWorkload.Path.Fused, seed),
        "sinkhorn-scaling" => new SinkhornWorkload(SinkhornWorkload.Path.Scaling, seed),
        "sinkhorn-torch" => new SinkhornWorkload(SinkhornWorkload.Path.Torch, seed),
        "sinkhorn-unrolled" => new SinkhornWorkload(SinkhornWorkload.Path.Torch, seed, unrolled: true),
        "model" => new ModelWorkload(optimizer == "torch", seed),
        "fine-grained" => new FineGrainedWorkload(seed),
        "plain-torch" => new PlainTorchLoop(seed),
        "plain-norton" => new PlainNortonLoop(seed),
        _ => throw new ArgumentException($"unknown workload '{name}'; expected one of: {Names}", nameof(name)),
    };
}
