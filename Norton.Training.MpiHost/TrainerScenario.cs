using TorchSharp;
using Norton.Models;
using Norton.Training.Batching;
using Norton.Training.Distributed;
using Norton.Training.Sampling;

namespace Norton.Training.MpiHost;

/// <summary>
/// <c>trainer --steps N --out DIR [--resume] [--save-interval K] [--fail-rank R --fail-step S]</c>: NortonTrainer
/// itself, data-parallel over the job's ranks, on <see cref="TinyTrainer"/>'s recipe with checkpoints in
/// <c>DIR/run</c>. After every update each rank writes its trained parameters to <c>DIR/rank{r}-update{u}.f32</c>;
/// with <c>--resume</c> every rank restores <c>DIR/run/checkpoint_last.pt</c>; rank R throws while loading the
/// batch of update S (inside its step, before the gradient all-reduce).
/// </summary>
public static class TrainerScenario
{
    public static void Run(ICommunicator world, TrainerArguments a)
    {
        Directory.CreateDirectory(a.Out);
        torch.set_num_threads(1); // the same summation order in the ranks and the reference, whatever the cores
        var options = TinyTrainer.Options(Path.Combine(a.Out, "run"), a.Steps, a.SaveInterval);
        var recorder = new Recorder(world.Rank, a.Out);
        var data = new FailingData(TinyTrainer.Data(), recorder, world.Rank == a.FailRank ? a.FailStep : -1);
        using var trainer = new NortonTrainer(options, data, observers: [recorder], world: world);
        recorder.Model = trainer.Model;
        if (a.Resume) trainer.Restore(Path.Combine(options.OutputDirectory, CheckpointFiles.Last));
        recorder.Update = trainer.Update;
        trainer.Train();
    }

    public sealed class Recorder(int rank, string output) : IEveryRankObserver
    {
        public VideoTextModel? Model { get; set; }

        public long Update { get; set; }

        public void OnUpdate(UpdateRecord record)
        {
            Update = record.Update;
            TinyTrainer.WriteFloats(Path.Combine(output, $"rank{rank}-update{record.Update}.f32"), TinyTrainer.Flatten(Model!));
        }

        public void OnEpochEnd(int epoch, long update, double? validationLoss)
        {
            if (validationLoss is double v)
                File.AppendAllText(Path.Combine(output, $"rank{rank}-validation.txt"), $"{epoch} {v:R}\n");
        }

        public void OnCheckpoint(string path) { }
    }

    private sealed class FailingData(SyntheticTrainingData inner, Recorder recorder, int failUpdate) : ITrainingData
    {
        public int FeatureDim => inner.FeatureDim;

        public IReadOnlyList<IReadOnlyList<string>> PlanEpoch(int epoch, bool retrieval, VideoTextModel model, IRandomSource random) =>
            inner.PlanEpoch(epoch, retrieval, model, random);

        public IReadOnlyList<IReadOnlyList<string>> PlanShare(int epoch, bool retrieval, VideoTextModel model, IRandomSource random, int rank, int size) =>
            inner.PlanShare(epoch, retrieval, model, random, rank, size);

        public TrainingBatch LoadBatch(IReadOnlyList<string> videoIds, IRandomSource random)
        {
            if (recorder.Update + 1 == failUpdate && videoIds[0].StartsWith("train", StringComparison.Ordinal))
                throw new InvalidOperationException($"injected failure in update {failUpdate}");
            return inner.LoadBatch(videoIds, random);
        }

        public IReadOnlyList<IReadOnlyList<string>> ValidationPlan() => inner.ValidationPlan();
    }
}
