using Xunit;

namespace Norton.Training.Tests.Distributed;

/// <summary>
/// NortonTrainer itself, data-parallel on two real MPI processes (Norton.Training.MpiHost's <c>trainer</c> scenario:
/// the tiny model on the synthetic corpus, 2 steps per epoch, so 3 updates cross an epoch boundary).
/// </summary>
[Collection(MpiCollection.Name)]
public sealed class NortonTrainerMpiTests
{
    private const int Updates = 3;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public void TwoRanks_AfterEveryUpdate_EqualEachOther_AndOneProcessAveragingBothRanksBatches()
    {
        string dir = MpiJob.TemporaryDirectory();
        var job = MpiJob.Run(2, Limit, "trainer", "--steps", $"{Updates}", "--out", dir);
        Assert.True(job.ExitCode == 0, MpiJob.Describe(job));
        var reference = MpiJob.RunAlone(Limit, "trainer-reference", "--steps", $"{Updates}", "--size", "2", "--out", dir);
        Assert.True(reference.ExitCode == 0, MpiJob.Describe(reference));
        float[]? previous = null;
        for (int u = 1; u <= Updates; u++)
        {
            float[] rank0 = MpiJob.ReadFloats(Path.Combine(dir, $"rank0-update{u}.f32"));
            float[] rank1 = MpiJob.ReadFloats(Path.Combine(dir, $"rank1-update{u}.f32"));
            float[] expected = MpiJob.ReadFloats(Path.Combine(dir, $"reference-update{u}.f32"));
            Assert.Equal(rank0, rank1);
            AssertClose(expected, rank0, $"update {u}");
            if (previous is not null) Assert.NotEqual(previous, rank0);
            previous = rank0;
        }
        // Validation after epoch 1 (update 2) is the mean over both ranks' halves: the same number on both.
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "rank0-validation.txt")), File.ReadAllText(Path.Combine(dir, "rank1-validation.txt")));
        // Rank 0 alone writes checkpoints (the epoch's, best and last); no rank writes a temporary file beside them.
        Assert.Equal(["checkpoint1.pt", "checkpoint_best.pt", "checkpoint_last.pt"],
            Directory.GetFiles(Path.Combine(dir, "run")).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray());
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void TwoRanks_ResumedMidEpoch_EqualStraightThrough()
    {
        string dir = MpiJob.TemporaryDirectory();
        string straight = Path.Combine(dir, "straight"), resumed = Path.Combine(dir, "resumed");
        var full = MpiJob.Run(2, Limit, "trainer", "--steps", $"{Updates}", "--out", straight);
        Assert.True(full.ExitCode == 0, MpiJob.Describe(full));
        var first = MpiJob.Run(2, Limit, "trainer", "--steps", "1", "--out", resumed);
        Assert.True(first.ExitCode == 0, MpiJob.Describe(first));
        var rest = MpiJob.Run(2, Limit, "trainer", "--steps", $"{Updates}", "--out", resumed, "--resume");
        Assert.True(rest.ExitCode == 0, MpiJob.Describe(rest));
        for (int rank = 0; rank < 2; rank++)
            for (int u = 1; u <= Updates; u++)
                Assert.Equal(MpiJob.ReadFloats(Path.Combine(straight, $"rank{rank}-update{u}.f32")),
                    MpiJob.ReadFloats(Path.Combine(resumed, $"rank{rank}-update{u}.f32")));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void ARankThatThrowsInItsStep_EndsTheJobNonZeroWithinAMinute_WithItsError_AndTheLastCheckpointSurvives()
    {
        string dir = MpiJob.TemporaryDirectory();
        var job = MpiJob.Run(2, TimeSpan.FromSeconds(60), "trainer", "--steps", $"{Updates}", "--out", dir,
            "--save-interval", "1", "--fail-rank", "1", "--fail-step", $"{Updates}");
        Assert.False(job.TimedOut, "the job hung: " + MpiJob.Describe(job));
        Assert.NotEqual(0, job.ExitCode);
        Assert.Contains($"rank 1 of 2: System.InvalidOperationException: injected failure in update {Updates}", job.Error + job.Output);
        // Rank 0 waited in the gradient all-reduce of the failed update and never finished it; checkpoint_last.pt
        // (end of epoch 1, update 2) is whole: resuming from it finishes exactly as a run without the failure.
        Assert.False(File.Exists(Path.Combine(dir, $"rank0-update{Updates}.f32")));
        Assert.False(File.Exists(Path.Combine(dir, "run", "checkpoint_last.pt.tmp")));
        var resumed = MpiJob.Run(2, Limit, "trainer", "--steps", $"{Updates}", "--out", dir, "--resume");
        Assert.True(resumed.ExitCode == 0, MpiJob.Describe(resumed));
        string straight = Path.Combine(dir, "straight");
        var full = MpiJob.Run(2, Limit, "trainer", "--steps", $"{Updates}", "--out", straight);
        Assert.True(full.ExitCode == 0, MpiJob.Describe(full));
        Assert.Equal(MpiJob.ReadFloats(Path.Combine(straight, $"rank0-update{Updates}.f32")),
            MpiJob.ReadFloats(Path.Combine(dir, $"rank0-update{Updates}.f32")));
        Directory.Delete(dir, recursive: true);
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = 1e-6 * Math.Abs(expected[i]) + 1e-7;
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{what}: trained parameter element {i} is {actual[i]:R} on the ranks but {expected[i]:R} in the one-process reference");
        }
    }
}
