using Norton.Training.Distributed;

namespace Norton.Training.MpiHost;

/// <summary>
/// An exception no caller can catch: it escapes a background thread of the last rank while the others wait in a
/// barrier that rank never reaches. Only <see cref="DistributedWorld.AbortOnUnhandledException"/> ends the job.
/// </summary>
public static class CrashScenario
{
    public static void Run(ICommunicator world)
    {
        if (world.Rank == world.Size - 1)
        {
            var thread = new Thread(() => throw new InvalidOperationException($"unhandled failure on a background thread of rank {world.Rank}"));
            thread.Start();
            thread.Join();
            Thread.Sleep(Timeout.Infinite); // not reached: the unhandled exception ends the process
        }
        world.Barrier();
    }
}
