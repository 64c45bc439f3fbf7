using Xunit;
using Norton.Training.Distributed;

namespace Norton.Training.Tests.Distributed;

public sealed class LaunchEnvironmentTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void NoLauncher_IsAWorldOfOne() =>
        Assert.Equal(1, LaunchEnvironment.WorldSizeOf(Env(("SLURM_NTASKS", "4")))); // an sbatch script itself is one process

    [Theory]
    [InlineData("OMPI_COMM_WORLD_SIZE", "4", 4)]
    [InlineData("PMI_SIZE", "8", 8)]
    public void LauncherVariables_GiveTheWorldSize(string name, string value, int size) =>
        Assert.Equal(size, LaunchEnvironment.WorldSizeOf(Env((name, value))));

    [Fact]
    public void SrunWithPmix_UsesTheStepsTaskCount() =>
        Assert.Equal(16, LaunchEnvironment.WorldSizeOf(Env(("PMIX_RANK", "3"), ("SLURM_STEP_NUM_TASKS", "16"), ("SLURM_NTASKS", "32"))));

    [Fact]
    public void LocalRank_ComesFromTheLauncher()
    {
        Assert.Equal(3, LaunchEnvironment.LocalRankOf(Env(("OMPI_COMM_WORLD_LOCAL_RANK", "3"))));
        Assert.Equal(2, LaunchEnvironment.LocalRankOf(Env(("MPI_LOCALRANKID", "2"))));
        Assert.Equal(1, LaunchEnvironment.LocalRankOf(Env(("SLURM_LOCALID", "1"))));
        Assert.Equal(0, LaunchEnvironment.LocalRankOf(Env()));
    }

    [Fact]
    public void AGarbledVariable_IsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => LaunchEnvironment.WorldSizeOf(Env(("OMPI_COMM_WORLD_SIZE", "two"))));
        Assert.Contains("OMPI_COMM_WORLD_SIZE", e.Message);
        Assert.Contains("'two'", e.Message);
    }

    [Fact]
    public void ThisTestProcess_JoinsAWorldOfOne()
    {
        Assert.False(LaunchEnvironment.IsMultiProcess);
        var world = DistributedWorld.Join();
        Assert.Same(SingleProcessCommunicator.Instance, world);
        Span<float> values = [1f, 2f];
        world.AllReduceSum(values);
        Assert.Equal([1f, 2f], values.ToArray());
        Assert.Equal(2.5, world.Average(5.0, 2));
    }

    [Fact]
    public void NoMpiLibrary_NamesThePackagesToInstall()
    {
        var e = Assert.Throws<MpiLibraryNotFoundException>(() => MpiLibrary.Load("/nonexistent/libmpi.so.40"));
        Assert.Contains("/nonexistent/libmpi.so.40", e.Message);
        Assert.Contains("openmpi-bin libopenmpi-dev", e.Message);
        Assert.Contains(MpiLibrary.LibraryVariable, e.Message);
    }

    [Fact]
    public void TheLauncherPicksWhichMpiLoadsFirst()
    {
        // Hydra (MPICH) sets PMI_*; Open MPI's mpirun sets OMPI_*; with both MPIs installed each loads its own.
        Assert.Equal("libmpi.so.12", MpiLibrary.CandidatesFor(Env(("PMI_SIZE", "2"), ("PMI_RANK", "0")))[0]);
        Assert.Equal("libmpi.so.40", MpiLibrary.CandidatesFor(Env(("OMPI_COMM_WORLD_SIZE", "2")))[0]);
        // srun with PMIx, or no launcher at all: Open MPI first, as before.
        Assert.Equal(MpiLibrary.Candidates, MpiLibrary.CandidatesFor(Env(("PMIX_RANK", "1"))));
        Assert.Equal(MpiLibrary.Candidates, MpiLibrary.CandidatesFor(Env()));
        Assert.Equal(MpiLibrary.Candidates.Order(), MpiLibrary.CandidatesFor(Env(("PMI_RANK", "0"))).Order());
    }
}
