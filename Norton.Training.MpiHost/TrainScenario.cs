using Norton.Training.Distributed;

namespace Norton.Training.MpiHost;

/// <summary>
/// Data-parallel training of <see cref="TinyTraining"/>: every rank draws different initial weights (seed 100 + rank)
/// so that only the broadcast makes them equal; at update <c>u</c> rank <c>r</c> takes batch
/// <c>u · size + r</c>; gradients are averaged with <see cref="DataParallel"/>. After each update every rank writes
/// its flattened parameters to <c>OUT/rank{r}-update{u}.f32</c>; rank 0 saves the checkpoint when asked.
/// </summary>
public static class TrainScenario
{
    public static void Run(ICommunicator world, TrainArguments a)
    {
        using var model = TinyTraining.NewModel(100 + world.Rank);
        using var loss = TinyTraining.NewLoss();
        var velocity = TinyTraining.NewVelocity(model);
        int done = 0;
        if (a.Resume) done = TinyCheckpoint.Load(a.Checkpoint!, model, velocity); // every rank restores the same state
        else DataParallel.BroadcastParameters(world, model);
        using var parallel = new DataParallel(world, model, a.BucketFloats);
        Directory.CreateDirectory(a.Out);
        for (int update = done + 1; update <= a.Steps; update++)
        {
            long step = update - 1;
            TinyTraining.Backward(model, loss, DataShare.BatchIndex(step, world.Rank, world.Size));
            if (world.Rank == a.FailRank && update == a.FailStep)
                throw new InvalidOperationException($"injected failure in update {update} on rank {world.Rank}");
            parallel.AverageGradients();
            TinyTraining.Step(model, velocity);
            WriteFloats(Path.Combine(a.Out, $"rank{world.Rank}-update{update}.f32"), TinyTraining.Flatten(model));
            if (a.Checkpoint is not null)
                world.OnRoot(() => TinyCheckpoint.Save(a.Checkpoint, update, model, velocity));
        }
        world.Barrier();
        foreach (var v in velocity) v.Dispose();
    }

    private static void WriteFloats(string path, float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(path, bytes);
    }
}
