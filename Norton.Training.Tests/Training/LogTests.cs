using Xunit;

namespace Norton.Training.Tests.Training;

public sealed class LogTests
{
    [Fact]
    public void PlainLogWritesOneLinePerLogStepEpochAndCheckpointAndTensorBoardWritesEvents()
    {
        string dir = TinySetup.TempFolder();
        var writer = new StringWriter();
        var options = TinySetup.Options(dir) with { MaxUpdates = 8, LogInterval = 3, TensorBoard = true };
        using (var trainer = new NortonTrainer(options, TinySetup.Data(), observers: [new PlainLineLog(writer)]))
            trainer.Train();
        string[] lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Updates 1 (the first of the run), 3 and 6; the end of epoch 1 (6 batches) and its checkpoint; the final save.
        Assert.Equal(3, lines.Count(l => l.StartsWith("epoch 1 | update", StringComparison.Ordinal) || l.StartsWith("epoch 2 | update", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("epoch 1 | update 1 | loss ", StringComparison.Ordinal) && l.Contains("| lr 0 |") && l.Contains("| prompt "));
        Assert.Contains(lines, l => l.StartsWith("epoch 1 done | update 6 | valid_loss ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("saved ", StringComparison.Ordinal) && l.EndsWith("checkpoint1.pt", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("saved ", StringComparison.Ordinal) && l.EndsWith("checkpoint_last.pt", StringComparison.Ordinal));
        var events = Directory.EnumerateFiles(Path.Combine(dir, "tensorboard"), "events.out.tfevents.*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(events);
        Assert.True(new FileInfo(events[0]).Length > 100);
    }
}
