using Norton.Training.Sampling;
using Norton.Training.Corpus;

namespace Norton.Training.Batching;

/// <summary>
/// Turns an epoch's batches of video ids into <see cref="TrainingBatch"/>es on background threads, a few ahead
/// (docs/training-data.md): each video is read from the corpus and sampled with <see cref="OverlappedClipSampler"/>, rows
/// video-major (rows [16v, 16v+16) are video v in temporal order, as the video-paragraph loss expects). The threads
/// build plain arrays only; TorchSharp objects stay on the training thread.
/// </summary>
/// <remarks>
/// The plain constructor's feeder owns its random source while it runs (one thread draws the batches in order, so a
/// seed gives the same batches whatever the timing). A <see cref="Resumable"/> feeder gives each batch its own seed,
/// so several worker threads can build batches at once, still delivered in order and identical whatever the
/// timing. Batches are ready ahead of the consumer by up to <see cref="Prefetch"/>. An error on a background thread
/// (a broken video, say) is rethrown by <see cref="TryTake"/> when its batch is due.
/// </remarks>
/// <example><code>
/// using var feeder = new BatchFeeder(corpus, EpochPlanner.Plan(corpus, random), random);
/// while (feeder.TryTake(out var batch)) { /* tensors from batch.Caps, batch.VideoFeatures, ... */ }
/// </code></example>
public sealed class BatchFeeder : IDisposable
{
    private readonly PretrainingCorpus _corpus;
    private readonly IReadOnlyList<string[]> _batches;
    private readonly Func<int, IRandomSource> _randomFor;
    private readonly int _first;
    private readonly OverlappedClipSampler _sampler;
    private readonly TaskCompletionSource<TrainingBatch>[] _slots;
    private readonly SemaphoreSlim _room;
    private readonly CancellationTokenSource _cancel = new();
    private readonly Thread[] _threads;
    private int _claimed;
    private int _taken;
    private bool _disposed;

    /// <summary>Starts preparing <paramref name="batches"/> in order.</summary>
    /// <param name="corpus">Where the videos are read (stays open while the feeder runs).</param>
    /// <param name="batches">Video ids of each batch (e.g. <see cref="Retrieval.EpochPlanner.Plan"/>).</param>
    /// <param name="random">The sampler's draws.</param>
    /// <param name="options">Sampler settings (the paper's when null).</param>
    /// <param name="prefetch">Batches prepared ahead.</param>
    /// <exception cref="ArgumentException">An empty batch, or an id the corpus does not hold; the message names it.</exception>
    public BatchFeeder(PretrainingCorpus corpus, IReadOnlyList<string[]> batches, IRandomSource random, ClipSamplerOptions? options = null, int prefetch = 3)
        : this(corpus, batches, NotNull(random), 0, options, prefetch, workers: 1)
    {
    }

    private BatchFeeder(PretrainingCorpus corpus, IReadOnlyList<string[]> batches, Func<int, IRandomSource> randomFor, int first, ClipSamplerOptions? options,
        int prefetch, int workers)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentOutOfRangeException.ThrowIfLessThan(prefetch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        if (first < 0 || first > batches.Count)
            throw new ArgumentOutOfRangeException(nameof(first), first, $"the first batch must lie in [0, {batches.Count}].");
        for (int b = 0; b < batches.Count; b++)
        {
            if (batches[b] is null || batches[b].Length == 0)
                throw new ArgumentException($"batch {b} has no videos.", nameof(batches));
            foreach (string id in batches[b])
                if (!corpus.Contains(id))
                    throw new ArgumentException($"batch {b}: the corpus at {corpus.Folder} has no video '{id}'.", nameof(batches));
        }
        _corpus = corpus;
        _batches = batches;
        _randomFor = randomFor;
        _first = first;
        _sampler = new OverlappedClipSampler(options);
        Prefetch = prefetch;
        _slots = Enumerable.Range(0, batches.Count - first)
            .Select(_ => new TaskCompletionSource<TrainingBatch>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        _room = new SemaphoreSlim(prefetch);
        _threads = Enumerable.Range(0, workers).Select(w => new Thread(Produce) { IsBackground = true, Name = $"Norton batch feeder {w}" }).ToArray();
        foreach (var thread in _threads) thread.Start();
    }

    /// <summary>
    /// A resumable feeder: batch b draws from its own <see cref="SplitMix64"/> seeded from (<paramref name="seed"/>,
    /// b), so a run restarted at <paramref name="firstBatch"/> yields exactly the batches an uninterrupted run would
    /// have from there on (a checkpoint needs only the seed and the batch index).
    /// </summary>
    /// <param name="corpus">Where the videos are read.</param>
    /// <param name="batches">Video ids of each batch.</param>
    /// <param name="seed">The epoch's sampling seed.</param>
    /// <param name="firstBatch">The first batch to yield (0 for a whole epoch).</param>
    /// <param name="options">Sampler settings (the paper's when null).</param>
    /// <param name="prefetch">Batches prepared ahead (at least <paramref name="workers"/> to keep every worker busy).</param>
    /// <param name="workers">Threads building batches at once (the batches do not depend on it).</param>
    public static BatchFeeder Resumable(PretrainingCorpus corpus, IReadOnlyList<string[]> batches, ulong seed, int firstBatch = 0,
        ClipSamplerOptions? options = null, int prefetch = 3, int workers = 1) =>
        new(corpus, batches, b => new SplitMix64(BatchSeed(seed, b)), firstBatch, options, prefetch, workers);

    /// <summary>The seed of batch <paramref name="batch"/> of a <see cref="Resumable"/> feeder.</summary>
    public static ulong BatchSeed(ulong seed, int batch) => new SplitMix64(seed ^ (0x632BE59BD9B4E019UL * (ulong)(batch + 1))).Next();

    /// <summary>Number of batches this feeder yields.</summary>
    public int Count => _batches.Count - _first;

    /// <summary>Batches prepared ahead at most.</summary>
    public int Prefetch { get; }

    /// <summary>The sampler settings.</summary>
    public ClipSamplerOptions Options => _sampler.Options;

    /// <summary>Waits for the next batch; false once all were taken.</summary>
    /// <exception cref="InvalidOperationException">Preparing a batch failed; the inner exception says why.</exception>
    public bool TryTake(out TrainingBatch batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        batch = null!;
        if (_taken == _slots.Length) return false;
        var slot = _slots[_taken].Task;
        try
        {
            slot.Wait();
        }
        catch (AggregateException e)
        {
            var error = e.InnerException ?? e;
            throw new InvalidOperationException($"preparing training batch {_first + _taken} failed: {error.Message}", error);
        }
        batch = slot.Result;
        _slots[_taken++] = null!; // the feeder keeps no reference to a taken batch
        _room.Release();
        return true;
    }

    /// <summary>Builds one batch on the calling thread (what the background thread does for each batch).</summary>
    public static TrainingBatch Build(PretrainingCorpus corpus, IReadOnlyList<string> videoIds, OverlappedClipSampler sampler, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(videoIds);
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(random);
        var o = sampler.Options;
        int rows = videoIds.Count * o.ClipsPerVideo, dim = corpus.FeatureDim;
        var caps = new long[rows * o.TextLength];
        var capsMask = new bool[caps.Length];
        var features = new float[rows * o.MaxVideoLength * dim];
        var videoMask = new bool[rows * o.MaxVideoLength];
        for (int v = 0; v < videoIds.Count; v++)
        {
            var video = corpus.Read(videoIds[v]);
            ClipRowWriter.Write(video, sampler.Sample(video, random), o, caps, capsMask, features, videoMask, v * o.ClipsPerVideo);
        }
        return new TrainingBatch(videoIds.ToArray(), o.ClipsPerVideo, o.TextLength, o.MaxVideoLength, dim, caps, capsMask, features, videoMask);
    }

    /// <summary>Stops the background threads and waits for them.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _cancel.Cancel();
        foreach (var thread in _threads) thread.Join();
        _room.Dispose();
        _cancel.Dispose();
    }

    private static Func<int, IRandomSource> NotNull(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return _ => random;
    }

    /// <summary>A worker: claims the next batch once there is room ahead of the consumer, builds it, fills its slot.</summary>
    private void Produce()
    {
        try
        {
            while (true)
            {
                _room.Wait(_cancel.Token);
                int slot = Interlocked.Increment(ref _claimed) - 1;
                if (slot >= _slots.Length) return;
                try
                {
                    _slots[slot].SetResult(Build(_corpus, _batches[_first + slot], _sampler, _randomFor(_first + slot)));
                }
                catch (Exception e)
                {
                    _slots[slot].SetException(e);
                }
            }
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
        }
    }
}
