using System.Collections.Concurrent;
using System.Diagnostics;
using Norton.Models.Checkpoints;
using Norton.Models.S3D;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Training.Extraction;

/// <summary>
/// Turns video files into Norton's per-second video features, as the original's extractor does: ffmpeg at 30 fps,
/// shorter side scaled to 224 and centre-cropped to 224 x 224, rgb / 255, one-second clips (the last one zero-padded),
/// S3D-G <c>video_embedding</c> in batches, L2-normalised per second, saved as float16 <c>&lt;id&gt;.npy</c> of shape
/// (seconds, 512), where the id is the file name without its extension.
/// </summary>
/// <remarks>
/// Decoding runs on its own thread, ahead of the network, and hands over bytes only. Videos whose <c>.npy</c> exists
/// are skipped, so a stopped run resumes where it stopped (files are written under a temporary name and renamed). A
/// video that cannot be decoded is reported in <see cref="ExtractionSummary.Failures"/> and the run goes on.
/// See docs/performance.md for throughput.
/// </remarks>
public sealed class S3DFeatureExtractor : IDisposable
{
    // F.normalize's eps; a field, not a temporary Scalar (the decoding thread's allocations can trigger a GC mid-op).
    private static readonly Scalar NormEpsilon = 1e-12.ToScalar();
    private readonly S3DG _model;
    private readonly bool _ownsModel;
    private readonly Device _device;

    /// <summary>Wraps a loaded S3D-G (switched to eval mode; the caller keeps ownership).</summary>
    public S3DFeatureExtractor(S3DG model, S3DExtractionOptions? options = null)
        : this(model, options, FramePreprocessing.Original, ownsModel: false)
    {
    }

    internal S3DFeatureExtractor(S3DG model, S3DExtractionOptions? options, FramePreprocessing preprocessing, bool ownsModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(preprocessing);
        _model = model;
        _model.eval();
        _ownsModel = ownsModel;
        _device = model.parameters().First().device;
        Options = options ?? new S3DExtractionOptions();
        Preprocessing = preprocessing;
    }

    /// <summary>The batch size and decode-ahead settings.</summary>
    public S3DExtractionOptions Options { get; }

    internal FramePreprocessing Preprocessing { get; }

    /// <summary>
    /// Builds S3D-G, loads <paramref name="weightsPath"/> (the HowTo100M S3D weights, e.g. <c>s3d_howto100m.pth</c>; its
    /// sentence-encoder keys <c>text_module.*</c> are ignored) and moves it to <paramref name="device"/> (CPU if null).
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="CheckpointFormatException">The file is not a readable state dict.</exception>
    /// <exception cref="CheckpointMismatchException">An S3D-G weight is missing or has the wrong shape.</exception>
    public static S3DFeatureExtractor FromWeights(string weightsPath, Device? device = null, S3DExtractionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(weightsPath);
        var model = new S3DG();
        try
        {
            var report = CheckpointLoader.Load(model, weightsPath, new CheckpointLoadOptions(AllowUnexpected: true));
            var foreign = report.Unexpected.Where(k => !k.StartsWith(SentenceEmbedding.CheckpointPrefix, StringComparison.Ordinal)).ToList();
            if (foreign.Count > 0)
                throw new CheckpointMismatchException([], foreign, []);
            if (device is not null) model.to(device);
            return new S3DFeatureExtractor(model, options, FramePreprocessing.Original, ownsModel: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The feature file of <paramref name="videoPath"/>: its file name without extension, plus <c>.npy</c>.</summary>
    public static string FeatureFileName(string videoPath) => Path.GetFileNameWithoutExtension(videoPath) + ".npy";

    /// <summary>
    /// Extracts the features of <paramref name="videos"/> into <paramref name="outputDirectory"/> (created if needed).
    /// <paramref name="progress"/> is called on this thread after each video.
    /// </summary>
    /// <exception cref="ArgumentException">Two videos share a file name (they would write the same <c>.npy</c>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    public ExtractionSummary Extract(IReadOnlyList<string> videos, string outputDirectory,
        Action<ExtractionProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var duplicate = videos.GroupBy(FeatureFileName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"videos {string.Join(", ", duplicate.Select(v => $"'{v}'"))} would all write {duplicate.Key}; give each video a distinct file name", nameof(videos));
        Directory.CreateDirectory(outputDirectory);

        var run = new ExtractionRun(videos.Count, progress);
        var todo = new List<int>();
        for (int i = 0; i < videos.Count; i++)
        {
            if (File.Exists(Path.Combine(outputDirectory, FeatureFileName(videos[i])))) run.Skip(videos[i]);
            else todo.Add(i);
        }
        if (todo.Count > 0) RunPipeline(videos, todo, outputDirectory, run, cancellation);
        return run.Summary();
    }

    private void RunPipeline(IReadOnlyList<string> videos, List<int> todo, string outputDirectory, ExtractionRun run, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var queue = new BlockingCollection<DecodedItem>(Options.DecodeAheadClips);
        Exception? decoderCrash = null;
        var decoder = new Thread(() =>
        {
            try
            {
                DecodeAll(videos, todo, queue, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                decoderCrash = e;
            }
            finally
            {
                queue.CompleteAdding();
            }
        })
        { IsBackground = true, Name = "S3D frame decoder" };
        decoder.Start();

        var pending = new List<byte[]>(Options.BatchSize);
        var rows = new List<Tensor>();
        try
        {
            while (true)
            {
                long waitStart = Stopwatch.GetTimestamp();
                bool taken = queue.TryTake(out var item, Timeout.Infinite, stop.Token);
                run.Waited(Stopwatch.GetElapsedTime(waitStart));
                if (!taken) break;   // decoding finished (or crashed: rethrown below)
                if (!item!.IsEnd)
                {
                    pending.Add(item.Pixels!);
                    if (pending.Count == Options.BatchSize) EmbedPending(pending, rows, run);
                    continue;
                }
                string video = videos[item.Video];
                if (item.Error is not null)
                {
                    pending.Clear();
                    DisposeAll(rows);
                    run.Fail(video, item.Error);
                    continue;
                }
                if (pending.Count > 0) EmbedPending(pending, rows, run);
                WriteFeatures(Path.Combine(outputDirectory, FeatureFileName(video)), rows);
                DisposeAll(rows);
                run.Extracted(video, item.Frames / (double)Preprocessing.Fps);
            }
        }
        finally
        {
            stop.Cancel();      // ends the decoder early when this thread stopped on an exception
            decoder.Join();
            DisposeAll(rows);
        }
        if (decoderCrash is not null)
            throw new InvalidOperationException("the decoding thread failed: " + decoderCrash.Message, decoderCrash);
    }

    private void DecodeAll(IReadOnlyList<string> videos, List<int> todo, BlockingCollection<DecodedItem> queue, CancellationToken stop)
    {
        foreach (int index in todo)
        {
            int frames = 0;
            string? error = null;
            try
            {
                frames = VideoFrameDecoder.Decode(videos[index], Preprocessing,
                    (pixels, count) => queue.Add(DecodedItem.Clip(index, pixels, count), stop), stop);
            }
            catch (VideoDecodeException e)
            {
                error = e.Reason;
            }
            queue.Add(DecodedItem.End(index, frames, error), stop);
        }
    }

    private void EmbedPending(List<byte[]> pending, List<Tensor> rows, ExtractionRun run)
    {
        long start = Stopwatch.GetTimestamp();
        using (var clips = ClipTensors.FromClips(pending, Preprocessing, _device))
            rows.Add(Embed(clips));
        pending.Clear();
        run.Computed(Stopwatch.GetElapsedTime(start));
    }

    /// <summary>(N, 3, T, S, S) clips → (N, 512) L2-normalised <c>video_embedding</c> rows, float32 on the CPU.</summary>
    internal Tensor Embed(Tensor clips)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var output = _model.forward(clips);
        var embedding = output.VideoEmbedding;
        // F.normalize(x, dim=1): x / max(||x||_2, eps), row by row.
        var normalised = embedding.div(embedding.norm(1, keepdim: true).clamp_min(NormEpsilon));
        return normalised.cpu().MoveToOuterDisposeScope();
    }

    private static void WriteFeatures(string path, List<Tensor> rows)
    {
        using var scope = NewDisposeScope();
        var features = cat(rows, 0).to(ScalarType.Float16);
        var values = features.data<Half>().ToArray();
        Corpus.NpyWriter.WriteFloat16(path, values, features.shape[0], features.shape[1]);
    }

    private static void DisposeAll(List<Tensor> tensors)
    {
        foreach (var t in tensors) t.Dispose();
        tensors.Clear();
    }

    /// <summary>Disposes the network if this extractor loaded it (<see cref="FromWeights"/>).</summary>
    public void Dispose()
    {
        if (_ownsModel) _model.Dispose();
    }
}
