using Xunit;
using static TorchSharp.torch;

namespace Norton.Training.Tests.Training;

public sealed class NortonTrainerTests
{
    private static Dictionary<string, Tensor> Weights(NortonTrainer t) =>
        t.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    private static bool Same(Tensor a, Tensor b) => a.eq(b).all().item<bool>();

    private sealed class Recorder : ITrainingObserver
    {
        public List<UpdateRecord> Updates { get; } = [];
        public List<(int Epoch, double? Loss)> Epochs { get; } = [];
        public List<string> Checkpoints { get; } = [];
        public void OnUpdate(UpdateRecord record) => Updates.Add(record);
        public void OnEpochEnd(int epoch, long update, double? validationLoss) => Epochs.Add((epoch, validationLoss));
        public void OnCheckpoint(string path) => Checkpoints.Add(Path.GetFileName(path));
    }

    [Fact]
    public void ResumingHalfwayGivesBitIdenticalWeights()
    {
        // 6 batches per epoch; 9 updates cross an epoch end (validation, epoch checkpoint, a new plan).
        const int n = 9;
        string straightDir = TinySetup.TempFolder(), splitDir = TinySetup.TempFolder();
        Dictionary<string, Tensor> straight;
        using (var trainer = new NortonTrainer(TinySetup.Options(straightDir) with { MaxUpdates = n }, TinySetup.Data()))
        {
            trainer.Train();
            Assert.Equal(n, trainer.Update);
            straight = Weights(trainer);
        }
        using (var first = new NortonTrainer(TinySetup.Options(splitDir) with { MaxUpdates = 4 }, TinySetup.Data()))
            Assert.Equal(4, first.Train().Updates);
        // Something else uses the default generator in between: the restore must undo that too.
        manual_seed(12345);
        rand(10).Dispose();
        using (var second = new NortonTrainer(TinySetup.Options(splitDir) with { MaxUpdates = n }, TinySetup.Data()))
        {
            second.Restore(Path.Combine(splitDir, CheckpointFiles.Last));
            Assert.Equal(4, second.Update);
            second.Train();
            var resumed = Weights(second);
            Assert.Equal(straight.Keys.Order(), resumed.Keys.Order());
            foreach (var (key, value) in straight)
                Assert.True(Same(value, resumed[key]), $"{key} differs after resuming");
        }
        // And the weights did move.
        using var fresh = new NortonTrainer(TinySetup.Options(TinySetup.TempFolder()), TinySetup.Data());
        Assert.Contains(Weights(fresh), kv => !Same(kv.Value, straight[kv.Key]));
    }

    [Fact]
    public void UsesTheScheduleAndWritesFairseqsCheckpoints()
    {
        string dir = TinySetup.TempFolder();
        var recorder = new Recorder();
        var options = TinySetup.Options(dir) with { MaxEpoch = 2, SaveIntervalUpdates = 2, KeepIntervalUpdates = 2, KeepLastEpochs = 1 };
        using var trainer = new NortonTrainer(options, TinySetup.Data(), observers: [recorder]);
        var summary = trainer.Train();

        Assert.True(summary.Finished);
        Assert.Equal(12, summary.Updates);
        var schedule = options.Schedule();
        Assert.Equal(Enumerable.Range(0, 12).Select(i => schedule.LearningRate(i)), recorder.Updates.Select(u => u.LearningRate));
        Assert.Equal(0.0, recorder.Updates[0].LearningRate);
        Assert.All(recorder.Updates, u => Assert.True(double.IsFinite(u.Loss) && u.GradientNorm > 0));
        Assert.Equal([1, 2], recorder.Epochs.Select(e => e.Epoch));
        Assert.All(recorder.Epochs, e => Assert.NotNull(e.Loss));
        Assert.Equal(summary.BestValidationLoss, recorder.Epochs.Min(e => e.Loss));
        Assert.Equal(["checkpoint2.pt", "checkpoint_2_10.pt", "checkpoint_2_12.pt", "checkpoint_best.pt", "checkpoint_last.pt"],
            Directory.EnumerateFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LossFallsOnTheSyntheticCorpus()
    {
        var recorder = new Recorder();
        var options = TinySetup.Options(TinySetup.TempFolder()) with { MaxEpoch = 5, LayerNormOnly = false, LearningRate = 5e-3 };
        using var trainer = new NortonTrainer(options, TinySetup.Data(), observers: [recorder]);
        trainer.Train();
        Assert.True(recorder.Epochs[^1].Loss < recorder.Epochs[0].Loss * 0.9,
            $"validation loss {string.Join(", ", recorder.Epochs.Select(e => e.Loss))}");
    }

    [Fact]
    public void FeatureWidthMismatchIsAClearError()
    {
        var data = new SyntheticTrainingData(4, 0, 2, TinySetup.Clips, 9, 6, featureDim: 12);
        var e = Assert.Throws<ArgumentException>(() => new NortonTrainer(TinySetup.Options(TinySetup.TempFolder()), data));
        Assert.Contains("12-wide", e.Message);
        Assert.Contains("8-wide", e.Message);
    }

    [Fact]
    public void RestoringAnotherModelSizeOrAGarbageFileIsAClearError()
    {
        string dir = TinySetup.TempFolder();
        using (var t = new NortonTrainer(TinySetup.Options(dir) with { MaxUpdates = 1 }, TinySetup.Data())) t.Train();
        string last = Path.Combine(dir, CheckpointFiles.Last);
        var bigger = TinySetup.Options(TinySetup.TempFolder()) with
        {
            Model = new Norton.Models.VideoClip.VideoClipConfig(TinySetup.Model.Video.WithLayers(2), TinySetup.Model.Text, 6, 8),
        };
        using var other = new NortonTrainer(bigger, TinySetup.Data());
        var e = Assert.Throws<InvalidDataException>(() => other.Restore(last));
        Assert.Contains("another model size", e.Message);

        string garbage = Path.Combine(dir, "garbage.pt");
        File.WriteAllBytes(garbage, [1, 2, 3]);
        Assert.Throws<InvalidDataException>(() => other.Restore(garbage));
        File.WriteAllBytes(garbage, File.ReadAllBytes(last).AsSpan(0, 2000).ToArray());
        using var same = new NortonTrainer(TinySetup.Options(TinySetup.TempFolder()), TinySetup.Data());
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => same.Restore(garbage)).Message);
    }

    [Fact]
    public void ImpossibleOptionsAreRefusedBeforeAnythingRuns()
    {
        string dir = TinySetup.TempFolder();
        Assert.Contains("lr", Assert.Throws<ArgumentException>(() => new NortonTrainer(TinySetup.Options(dir) with { LearningRate = -1 }, TinySetup.Data())).Message);
        Assert.Contains("warmup_updates", Assert.Throws<ArgumentException>(() => new NortonTrainer(TinySetup.Options(dir) with { WarmupUpdates = 5000 }, TinySetup.Data())).Message);
        Assert.Contains("clip_norm", Assert.Throws<ArgumentException>(() => new NortonTrainer(TinySetup.Options(dir) with { ClipNorm = 0 }, TinySetup.Data())).Message);
    }

    [Fact]
    public void AFailedSaveLeavesTheLastGoodCheckpoint()
    {
        string dir = TinySetup.TempFolder();
        using (var t = new NortonTrainer(TinySetup.Options(dir) with { MaxUpdates = 1 }, TinySetup.Data())) t.Train();
        string last = Path.Combine(dir, CheckpointFiles.Last);
        byte[] good = File.ReadAllBytes(last);
        // A folder where the temporary file should go makes the write fail the way a full disk would.
        Directory.CreateDirectory(last + ".tmp");
        using (var t = new NortonTrainer(TinySetup.Options(dir) with { MaxUpdates = 2 }, TinySetup.Data()))
        {
            t.Restore(last);
            var e = Assert.ThrowsAny<Exception>(() => t.Train());
            Assert.True(e is IOException or UnauthorizedAccessException, e.ToString());
        }
        Assert.Equal(good, File.ReadAllBytes(last));
    }
}

public sealed class HalfPrecisionTrainerTests
{
    [Theory]
    [InlineData(TrainingPrecision.BFloat16)]
    [InlineData(TrainingPrecision.Float16)]
    public void HalfPrecisionRunsWithLossScalingAndFloat32Masters(TrainingPrecision precision)
    {
        var updates = new List<UpdateRecord>();
        var options = TinySetup.Options(TinySetup.TempFolder()) with { MaxUpdates = 3, Precision = precision };
        using var trainer = new NortonTrainer(options, TinySetup.Data(), observers: [new Collect(updates)]);
        trainer.Train();
        Assert.Equal(3, trainer.Update);
        Assert.All(updates, u => Assert.Equal(128, u.LossScale));
        Assert.All(updates, u => Assert.True(double.IsFinite(u.Loss)));
        Assert.All(trainer.Model.parameters(), p => Assert.Equal(precision == TrainingPrecision.Float16 ? TorchSharp.torch.ScalarType.Float16 : TorchSharp.torch.ScalarType.BFloat16, p.dtype));
    }

    private sealed class Collect(List<UpdateRecord> into) : ITrainingObserver
    {
        public void OnUpdate(UpdateRecord record) => into.Add(record);
        public void OnEpochEnd(int epoch, long update, double? validationLoss) { }
        public void OnCheckpoint(string path) { }
    }
}
