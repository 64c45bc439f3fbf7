using TorchSharp;

namespace Norton.Training.MpiHost;

/// <summary>
/// What data-parallel training must reproduce, computed by one process without MPI (the reference the original's
/// DDP defines): at update <c>u</c> it computes the gradients of batches <c>(u−1)·size + r</c> for every rank
/// <c>r</c> separately, averages them, and steps once. Writes <c>OUT/reference-update{u}.f32</c>.
/// </summary>
public static class ReferenceScenario
{
    private static readonly TorchSharp.Scalar One = 1.0.ToScalar();

    public static void Run(int steps, int size, string output)
    {
        using var model = TinyTraining.NewModel(100); // rank 0's weights, which the broadcast gives every rank
        using var loss = TinyTraining.NewLoss();
        var velocity = TinyTraining.NewVelocity(model);
        var trained = TinyTraining.Trained(model);
        using var sizeScalar = ((double)size).ToScalar();
        Directory.CreateDirectory(output);
        for (int update = 1; update <= steps; update++)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            var sums = new TorchSharp.torch.Tensor?[trained.Count];
            for (int r = 0; r < size; r++)
            {
                TinyTraining.Backward(model, loss, (update - 1L) * size + r);
                for (int k = 0; k < trained.Count; k++)
                {
                    if (trained[k].grad is not TorchSharp.torch.Tensor g) continue;
                    sums[k] = sums[k] is null ? g.clone() : sums[k]!.add(g, One);
                    g.zero_();
                }
            }
            using (TorchSharp.torch.no_grad())
                for (int k = 0; k < trained.Count; k++)
                    if (sums[k] is not null) trained[k].grad!.copy_(sums[k]!.div(sizeScalar));
            TinyTraining.Step(model, velocity);
            File.WriteAllBytes(Path.Combine(output, $"reference-update{update}.f32"), ToBytes(TinyTraining.Flatten(model)));
        }
        foreach (var v in velocity) v.Dispose();
    }

    private static byte[] ToBytes(float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }
}
