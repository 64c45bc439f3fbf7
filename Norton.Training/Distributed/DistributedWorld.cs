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
    /// Runs a whole job: joins the world, installs <see cref="AbortOnUnhandledException"/>, runs
    /// <paramref name="body"/> and finalises MPI. Under MPI an exception from <paramref name="body"/> (or a non-zero
    /// exit code) ends every rank of the job through MPI_Abort after writing <c>rank R of N: &lt;exception&gt;</c> to
    /// standard error: finalising MPI on the failing rank alone would leave the others waiting forever in their next
    /// collective, and a caller's catch-all (System.CommandLine has one) would otherwise do exactly that. In a world
    /// of one the exception propagates as usual.
    /// </summary>
    /// <param name="body">The training; returns the process exit code.</param>
    /// <returns>The exit code of <paramref name="body"/> (0 under MPI, where anything else aborts).</returns>
    public static int Run(Func<ICommunicator, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var world = Join();
        if (world.Size == 1) return body(world);
        AbortOnUnhandledException(world);
        int code;
        try
        {
            code = body(world);
        }
        catch (Exception e)
        {
            Report(world, e);
            world.Abort(1);
            throw; // not reached: MPI_Abort ends the process
        }
        if (code != 0)
        {
            Report(world, $"exit code {code}");
            world.Abort(code);
        }
        world.Dispose();
        return code;
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
                Report(world, e.ExceptionObject);
            }
            finally
            {
                world.Abort(1);
            }
        };
    }

    private static void Report(ICommunicator world, object what)
    {
        try
        {
            Console.Out.Flush();
            Console.Error.WriteLine($"rank {world.Rank} of {world.Size}: {what}");
            Console.Error.Flush();
        }
        catch (IOException)
        {
            // Standard error is gone; the abort still ends the job.
        }
    }
}
