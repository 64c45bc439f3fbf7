namespace Norton.Stress;

/// <summary>
/// Threads that allocate short-lived .NET objects until disposed, as a data loader, a logger or a web server does:
/// they trigger garbage collections, whose finalizers free any TorchSharp Scalar that nothing keeps alive.
/// </summary>
public sealed class AllocatingThreads : IDisposable
{
    private readonly List<Thread> _threads = [];
    private volatile bool _stop;

    /// <summary>Starts <paramref name="count"/> allocating threads.</summary>
    public AllocatingThreads(int count)
    {
        for (int i = 0; i < count; i++)
        {
            var t = new Thread(Allocate) { IsBackground = true, Name = $"allocator-{i}" };
            _threads.Add(t);
            t.Start();
        }
    }

    /// <summary>Objects allocated so far (all threads).</summary>
    public long Allocated => Interlocked.Read(ref _allocated);

    private long _allocated;

    /// <summary>Objects allocated between two 1 ms pauses.</summary>
    public const int BurstSize = 2000;

    private void Allocate()
    {
        var random = new Random(17);
        var keep = new object?[64];
        while (!_stop)
        {
            // A mix of sizes, a few kept for a while so that some survive a gen-0 collection.
            keep[random.Next(keep.Length)] = random.Next(4) switch
            {
                0 => new byte[random.Next(16, 4096)],
                1 => new string('x', random.Next(1, 256)),
                2 => new List<int>(random.Next(1, 128)),
                _ => new object(),
            };
            // Bursts with a pause: enough for a collection every millisecond or so (with a small gen-0 budget,
            // DOTNET_GCgen0size) without taking a core away from the training thread.
            if (Interlocked.Increment(ref _allocated) % BurstSize == 0) Thread.Sleep(1);
        }
    }

    /// <summary>Stops and joins the threads.</summary>
    public void Dispose()
    {
        _stop = true;
        foreach (var t in _threads) t.Join();
    }
}
