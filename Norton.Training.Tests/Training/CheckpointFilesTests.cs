using Xunit;

namespace Norton.Training.Tests.Training;

public sealed class CheckpointFilesTests
{
    [Fact]
    public void PruneKeepsTheNewestIntervalAndEpochCheckpoints()
    {
        string dir = TinySetup.TempFolder();
        string[] names = ["checkpoint_1_1024.pt", "checkpoint_1_2048.pt", "checkpoint_2_3072.pt", "checkpoint_2_10240.pt",
            "checkpoint1.pt", "checkpoint2.pt", "checkpoint10.pt", "checkpoint_best.pt", "checkpoint_last.pt"];
        foreach (string n in names) File.WriteAllText(Path.Combine(dir, n), n);

        var deleted = CheckpointFiles.Prune(dir, keepInterval: 2, keepEpochs: 2);

        Assert.Equal(["checkpoint1.pt", "checkpoint_1_1024.pt", "checkpoint_1_2048.pt"], deleted.Order(StringComparer.Ordinal));
        Assert.Equal(["checkpoint10.pt", "checkpoint2.pt", "checkpoint_2_10240.pt", "checkpoint_2_3072.pt", "checkpoint_best.pt", "checkpoint_last.pt"],
            Directory.EnumerateFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void NegativeCountsKeepEverything()
    {
        string dir = TinySetup.TempFolder();
        File.WriteAllText(Path.Combine(dir, "checkpoint_1_5.pt"), "");
        File.WriteAllText(Path.Combine(dir, "checkpoint1.pt"), "");
        Assert.Empty(CheckpointFiles.Prune(dir, -1, -1));
    }

    [Fact]
    public void NamesAreFairseqs()
    {
        Assert.Equal("checkpoint_3_2048.pt", CheckpointFiles.Interval(3, 2048));
        Assert.Equal("checkpoint6.pt", CheckpointFiles.Epoch(6));
    }
}
