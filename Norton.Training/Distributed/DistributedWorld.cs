namespace Norton.Training.Distributed;

/// <summary>
/// The entry point of multi-process runs: <see cref="Join"/> returns the MPI world when the process was started by
/// <c>mpirun</c> / <c>srun</c> with more than one process, and a world of one otherwise (MPI is then never loaded).
/// See docs/scaling.md for launching and for what each rank must set.
/// </summary>
public static class DistributedWorld
{
    private static readonly object Gate = new();
    private static MpiCommunicator? _mpi;
    private static bool _abortHandlerInstalled;

    /// <summary>The communicator of this process's job; the same MPI communicator on every call.</summary>
    /// <exception cref="MpiLibraryNotFoundException">Launched as several processes but no MPI library is installed.</exception>
    /// <exception cref="ObjectDisposedException">MPI was initialised and then finalised in this process.</exception>
    public static ICommunicator Join()
    {
        if (!LaunchEnvironment.IsMultiProcess)
            return SingleProcessCommunicator.Instance;
        lock (Gate)
        {
            if (_mpi is null)
                _mpi = new MpiCommunicator(MpiLibrary.Load(), LaunchEnvironment.LocalRank);
            else if (!_mpi.IsActive)
                throw new ObjectDisposedException(nameof(MpiCommunicator), "MPI was finalised in this process; it cannot be initialised again.");
            return _mpi;
        }
    }

    /// <summary>
    /// Makes an exception that escapes any thread end the whole job instead of leaving the other ranks waiting
    /// forever in their next collective: it writes <c>rank R of N: &lt;exception&gt;</c> to standard error and calls
    /// <see cref="ICommunicator.Abort"/> with exit code 1. Install it right after <see cref="Join"/>.
    /// </summary>
    /// <param name="world">The job's communicator.</param>
    public static void AbortOnUnhandledException(ICommunicator world)
    {
        ArgumentNullException.ThrowIfNull(world);
        lock (Gate)
        {
            if (_abortHandlerInstalled) return;
            _abortHandlerInstalled = true;
        }
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            try
            {
                Console.Out.Flush();
                Console.Error.WriteLine($"rank {world.Rank} of {world.Size}: {e.ExceptionObject}");
                Console.Error.Flush();
            }
            finally
            {
                world.Abort(1);
            }
        };
    }
}
