using Xunit;
namespace Norton.Training.Tests.Distributed;

/// <summary>
/// Data-parallel training of a tiny VideoTextModel + NortonLoss on two real MPI processes (Norton.Training.MpiHost):
/// the ranks start from different random weights, take batches <c>step · 2 + rank</c>, and average gradients.
/// </summary>
[Collection(MpiCollection.Name)]
public sealed class DataParallelMpiTests
{
    private const int Updates = 3;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public void TwoRanks_AfterEveryUpdate_EqualEachOther_AndOneProcessAveragingBothBatches()
    {
        string dir = MpiJob.TemporaryDirectory();
        // Small buckets: the tiny model's 7,360 weights travel in several all-reduces.
        var job = MpiJob.Run(2, Limit, "train", "--steps", $"{Updates}", "--out", dir, "--bucket-floats", "1000");
        Assert.True(job.ExitCode == 0, MpiJob.Describe(job));
        var reference = MpiJob.RunAlone(Limit, "reference", "--steps", $"{Updates}", "--size", "2", "--out", dir);
        Assert.True(reference.ExitCode == 0, MpiJob.Describe(reference));
        float[]? previous = null;
        for (int u = 1; u <= Updates; u++)
        {
            float[] rank0 = MpiJob.ReadFloats(Path.Combine(dir, $"rank0-update{u}.f32"));
            float[] rank1 = MpiJob.ReadFloats(Path.Combine(dir, $"rank1-update{u}.f32"));
            float[] expected = MpiJob.ReadFloats(Path.Combine(dir, $"reference-update{u}.f32"));
            Assert.Equal(rank0, rank1); // the same bits: identical averaged gradients, identical steps
            AssertClose(expected, rank0, $"update {u}");
            if (previous is not null) Assert.NotEqual(previous, rank0); // every update moved the weights
            previous = rank0;
        }
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void TwoRanks_ResumedFromRank0sCheckpoint_EqualStraightThrough()
    {
        string dir = MpiJob.TemporaryDirectory();
        string straight = Path.Combine(dir, "straight"), resumed = Path.Combine(dir, "resumed");
        string checkpoint = Path.Combine(dir, "checkpoint.bin");
        var full = MpiJob.Run(2, Limit, "train", "--steps", $"{Updates}", "--out", straight);
        Assert.True(full.ExitCode == 0, MpiJob.Describe(full));
        var first = MpiJob.Run(2, Limit, "train", "--steps", "1", "--out", resumed, "--checkpoint", checkpoint);
        Assert.True(first.ExitCode == 0, MpiJob.Describe(first));
        var rest = MpiJob.Run(2, Limit, "train", "--steps", $"{Updates}", "--out", resumed, "--checkpoint", checkpoint, "--resume");
        Assert.True(rest.ExitCode == 0, MpiJob.Describe(rest));
        for (int rank = 0; rank < 2; rank++)
            for (int u = 1; u <= Updates; u++)
                Assert.Equal(MpiJob.ReadFloats(Path.Combine(straight, $"rank{rank}-update{u}.f32")),
                    MpiJob.ReadFloats(Path.Combine(resumed, $"rank{rank}-update{u}.f32")));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void ARankThatThrows_EndsTheJobNonZeroWithinAMinute_WithItsError_AndTheLastCheckpointSurvives()
    {
        string dir = MpiJob.TemporaryDirectory();
        string checkpoint = Path.Combine(dir, "checkpoint.bin");
        var job = MpiJob.Run(2, TimeSpan.FromSeconds(60), "train", "--steps", $"{Updates}", "--out", dir,
            "--checkpoint", checkpoint, "--fail-rank", "1", "--fail-step", $"{Updates}");
        Assert.False(job.TimedOut, "the job hung: " + MpiJob.Describe(job));
        Assert.NotEqual(0, job.ExitCode);
        Assert.Contains($"rank 1 of 2: System.InvalidOperationException: injected failure in update {Updates} on rank 1", job.Error + job.Output);
        // Rank 0 waited in the all-reduce of the failed update and never wrote it; the checkpoint of the update
        // before is whole: resuming from it finishes the run exactly as a run without the failure.
        Assert.False(File.Exists(Path.Combine(dir, $"rank0-update{Updates}.f32")));
        var resumed = MpiJob.Run(2, Limit, "train", "--steps", $"{Updates}", "--out", dir, "--checkpoint", checkpoint, "--resume");
        Assert.True(resumed.ExitCode == 0, MpiJob.Describe(resumed));
        string straight = Path.Combine(dir, "straight");
        var full = MpiJob.Run(2, Limit, "train", "--steps", $"{Updates}", "--out", straight);
        Assert.True(full.ExitCode == 0, MpiJob.Describe(full));
        Assert.Equal(MpiJob.ReadFloats(Path.Combine(straight, $"rank0-update{Updates}.f32")),
            MpiJob.ReadFloats(Path.Combine(dir, $"rank0-update{Updates}.f32")));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void AnExceptionEscapingABackgroundThread_EndsTheJobNonZeroWithinAMinute_WithItsError()
    {
        var job = MpiJob.Run(2, TimeSpan.FromSeconds(60), "crash");
        Assert.False(job.TimedOut, "the job hung: " + MpiJob.Describe(job));
        Assert.NotEqual(0, job.ExitCode);
        Assert.Contains("rank 1 of 2: System.InvalidOperationException: unhandled failure on a background thread of rank 1", job.Error + job.Output);
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = 1e-6 * Math.Abs(expected[i]) + 1e-7;
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{what}: parameter element {i} is {actual[i]:R} on the ranks but {expected[i]:R} in the one-process reference");
        }
    }
}
