using Xunit;
using System.Text.Json;

namespace Norton.Training.Tests.Distributed;

[Collection(MpiCollection.Name)]
public sealed class MpiCollectivesTests
{
    [Fact]
    public void TwoRanks_EveryCollectiveGivesWhatItsDefinitionSays() =>
        CheckReports(RunBasics(dir => MpiJob.Run(2, TimeSpan.FromSeconds(120), "basics", "--out", dir)), "OpenMpi");

    [Fact]
    public void TwoRanksUnderMpich_EveryCollectiveGivesTheSame() =>
        // MPICH's ABI (integer handles, libmpi.so.12) and its launcher: the binding picks the library from the
        // launcher's variables, and UCX (MPICH's transport) must leave SIGSEGV to .NET.
        CheckReports(RunBasics(dir => MpiJob.RunMpich(2, TimeSpan.FromSeconds(120), "basics", "--out", dir)), "Mpich");

    /// <summary>Runs the two-rank basics job into a fresh folder and returns each rank's report, read from its own file
    /// (two ranks' long stdout lines can interleave in mpirun's forwarding).</summary>
    private static List<JsonElement> RunBasics(Func<string, MpiJob.Result> run)
    {
        string dir = MpiJob.TemporaryDirectory();
        try
        {
            var result = run(dir);
            Assert.True(result.ExitCode == 0, MpiJob.Describe(result));
            return Enumerable.Range(0, 2)
                .Select(r => JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, $"basics-rank{r}.json"))).RootElement).ToList();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void CheckReports(List<JsonElement> lines, string flavor)
    {
        Assert.All(lines, e => Assert.Equal(flavor, e.GetProperty("flavor").GetString()));
        for (int rank = 0; rank < 2; rank++)
        {
            var e = lines[rank];
            Assert.Equal(rank, e.GetProperty("rank").GetInt32());
            Assert.Equal(2, e.GetProperty("size").GetInt32());
            Assert.Equal(rank, e.GetProperty("local_rank").GetInt32()); // both ranks on this host
            Assert.Equal("MpiCommunicator", e.GetProperty("communicator").GetString());
            // Broadcast from root 1 (rank·10 + i on each rank): everyone holds 10 + i.
            Assert.Equal([10.0, 11, 12, 13, 14], Doubles(e, "bcast"));
            // Sum over ranks r of (r+1)·x is 3x for two ranks.
            Assert.Equal(Enumerable.Range(0, 1000).Select(i => 3.0 * i), Doubles(e, "float_sum"));
            Assert.Equal(Enumerable.Range(0, 1000).Select(i => 3.0 * (i + 0.25)), Doubles(e, "double_sum"));
            Assert.Equal([0.0, 0, 1, 100], Doubles(e, "allgather"));
            Assert.Equal([0.0, 1000, 1001], Doubles(e, "allgatherv"));
            Assert.Equal([1.0, 2], Doubles(e, "allgatherv_counts"));
            Assert.Equal("[[\"r0-a\",\"r0-\\u00FC\"],[\"r0-c\"],[\"r1-a\",\"r1-\\u00FC\"],[\"r1-c\"]]", e.GetProperty("string_batches").GetRawText());
            Assert.Equal("[[0,10],[20],[1,11],[21]]", e.GetProperty("id_batches").GetRawText());
            Assert.Equal(1.5, e.GetProperty("average").GetDouble()); // (1 + 2) / (1 + 1)
            Assert.Equal(12345UL, e.GetProperty("seed").GetUInt64()); // rank 0's
            Assert.Equal("[true,false]", e.GetProperty("any_rank").GetRawText()); // true on the last rank only -> everywhere
            Assert.True(e.GetProperty("null_reference_caught").GetBoolean(), "MPI took over .NET's SIGSEGV handling");
            Assert.True(e.GetProperty("mpi_loaded").GetBoolean());
        }
    }

    [Fact]
    public void WithoutALauncher_TheHostIsAWorldOfOne_AndNeverLoadsMpi()
    {
        var result = MpiJob.RunAlone(TimeSpan.FromSeconds(60), "basics");
        Assert.True(result.ExitCode == 0, MpiJob.Describe(result));
        var e = JsonDocument.Parse(Assert.Single(MpiJob.JsonLines(result.Output))).RootElement;
        Assert.Equal("SingleProcessCommunicator", e.GetProperty("communicator").GetString());
        Assert.Equal(1, e.GetProperty("size").GetInt32());
        Assert.Equal([0.0, 1, 2, 3, 4], Doubles(e, "bcast")); // root is rank 0 = itself
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (double)i), Doubles(e, "float_sum"));
        Assert.Equal("[[\"r0-a\",\"r0-\\u00FC\"],[\"r0-c\"]]", e.GetProperty("string_batches").GetRawText());
        Assert.Equal(1.0, e.GetProperty("average").GetDouble());
        Assert.Equal("[true,false]", e.GetProperty("any_rank").GetRawText());
        Assert.False(e.GetProperty("mpi_loaded").GetBoolean(), "a single process must not load libmpi");
    }

    private static double[] Doubles(JsonElement e, string name) =>
        e.GetProperty(name).EnumerateArray().Select(x => x.GetDouble()).ToArray();
}
