using Norton.Core.Validation;
using System.Globalization;
using Norton.Models;
using Norton.Training.Batching;
using Norton.Training.Sampling;

namespace Norton.Training;

/// <summary>
/// A small in-memory corpus for smoke runs and tests: each video walks through a fixed sequence of "steps"; a clip's
/// features point (noisily) at its step's direction and its caption uses that step's words, so that a model can learn
/// to align them and the loss falls. Plans are plain shuffles (no retrieval). Deterministic given the random sources.
/// </summary>
public sealed class SyntheticTrainingData : ITrainingData
{
    private const long Cls = 101, Sep = 102, FirstWord = 110;
    private const int WordsPerStep = 4;

    /// <summary>Creates the corpus description (nothing is generated until a batch is loaded).</summary>
    /// <param name="videos">Training videos.</param>
    /// <param name="validationVideos">Validation videos (0: no validation).</param>
    /// <param name="videosPerBatch">Videos per batch (<c>num_video_per_batch</c>).</param>
    /// <param name="clipsPerVideo">Clips per video (<c>clip_per_video</c>; the loss's paragraph length).</param>
    /// <param name="textLength">Caption slots per row (at least 5).</param>
    /// <param name="videoLength">Seconds per clip.</param>
    /// <param name="featureDim">Feature width.</param>
    /// <param name="steps">Distinct steps (caption topics); word ids run up to 110 + 4·steps.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is too small.</exception>
    public SyntheticTrainingData(int videos, int validationVideos, int videosPerBatch, int clipsPerVideo,
        int textLength, int videoLength, int featureDim, int steps = 16)
    {
        if (videosPerBatch <= 0) throw Guard.OutOfRange(nameof(videosPerBatch), videosPerBatch, "be > 0");
        if (videos < videosPerBatch) throw Guard.OutOfRange(nameof(videos), videos, $"be at least videosPerBatch = {videosPerBatch}");
        if (validationVideos < 0) throw Guard.OutOfRange(nameof(validationVideos), validationVideos, "be >= 0");
        if (clipsPerVideo <= 0) throw Guard.OutOfRange(nameof(clipsPerVideo), clipsPerVideo, "be > 0");
        if (textLength < 5) throw Guard.OutOfRange(nameof(textLength), textLength, "be at least 5 ([CLS] [SEP] word word [SEP])");
        if (videoLength <= 1) throw Guard.OutOfRange(nameof(videoLength), videoLength, "be at least 2");
        if (featureDim <= 0) throw Guard.OutOfRange(nameof(featureDim), featureDim, "be > 0");
        if (steps <= 0) throw Guard.OutOfRange(nameof(steps), steps, "be > 0");
        Videos = videos;
        ValidationVideos = validationVideos;
        VideosPerBatch = videosPerBatch;
        ClipsPerVideo = clipsPerVideo;
        TextLength = textLength;
        VideoLength = videoLength;
        FeatureDim = featureDim;
        Steps = steps;
    }

    /// <summary>Training videos.</summary>
    public int Videos { get; }

    /// <summary>Validation videos.</summary>
    public int ValidationVideos { get; }

    /// <summary>Videos per batch.</summary>
    public int VideosPerBatch { get; }

    /// <summary>Clips per video.</summary>
    public int ClipsPerVideo { get; }

    /// <summary>Caption slots per row.</summary>
    public int TextLength { get; }

    /// <summary>Seconds per clip.</summary>
    public int VideoLength { get; }

    /// <inheritdoc />
    public int FeatureDim { get; }

    /// <summary>Distinct steps.</summary>
    public int Steps { get; }

    /// <summary>The largest token id a caption uses, plus one (the text tower's vocabulary must be at least this).</summary>
    public int VocabularyNeeded => (int)FirstWord + WordsPerStep * Steps;

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<string>> PlanEpoch(int epoch, bool retrieval, VideoTextModel model, IRandomSource random) =>
        Plan(Enumerable.Range(0, Videos).Select(i => "train" + i.ToString(CultureInfo.InvariantCulture)).ToArray(), random);

    /// <inheritdoc />
    /// <remarks>Shuffles this rank's share of the videos (<c>train{rank}</c>, <c>train{rank + size}</c>, …) and cuts it
    /// into batches.</remarks>
    public IReadOnlyList<IReadOnlyList<string>> PlanShare(int epoch, bool retrieval, VideoTextModel model, IRandomSource random, int rank, int size)
    {
        var all = Enumerable.Range(0, Videos).Select(i => "train" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        return Plan(Distributed.DataShare.ShareOf(all, rank, size).ToArray(), random);
    }

    private IReadOnlyList<IReadOnlyList<string>> Plan(string[] ids, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = ids.Length - 1; i > 0; i--)
        {
            int j = (int)random.RandInt(0, i);
            (ids[i], ids[j]) = (ids[j], ids[i]);
        }
        return ids.Chunk(VideosPerBatch).Where(c => c.Length == VideosPerBatch).Select(c => (IReadOnlyList<string>)c).ToList();
    }

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<string>> ValidationPlan() =>
        Enumerable.Range(0, ValidationVideos).Select(i => "val" + i.ToString(CultureInfo.InvariantCulture))
            .Chunk(VideosPerBatch).Where(c => c.Length == VideosPerBatch).Select(c => (IReadOnlyList<string>)c).ToList();

    /// <inheritdoc />
    public TrainingBatch LoadBatch(IReadOnlyList<string> videoIds, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(videoIds);
        ArgumentNullException.ThrowIfNull(random);
        int rows = videoIds.Count * ClipsPerVideo;
        var caps = new long[rows * TextLength];
        var cmasks = new bool[rows * TextLength];
        var vfeats = new float[rows * VideoLength * FeatureDim];
        var vmasks = new bool[rows * VideoLength];
        for (int v = 0; v < videoIds.Count; v++)
        {
            int start = (int)((uint)StableHash(videoIds[v]) % (uint)Steps);
            for (int c = 0; c < ClipsPerVideo; c++)
            {
                int row = v * ClipsPerVideo + c;
                int step = (start + c) % Steps;
                int words = (int)random.RandInt(1, TextLength - 3);
                int t0 = row * TextLength;
                caps[t0] = Cls;
                caps[t0 + 1] = Sep;
                for (int w = 0; w < words; w++) caps[t0 + 2 + w] = FirstWord + WordsPerStep * step + random.RandInt(0, WordsPerStep - 1);
                caps[t0 + 2 + words] = Sep;
                for (int i = 0; i < words + 3; i++) cmasks[t0 + i] = true;
                int seconds = (int)random.RandInt(2, VideoLength);
                for (int s = 0; s < VideoLength; s++)
                {
                    int f0 = (row * VideoLength + s) * FeatureDim;
                    for (int d = 0; d < FeatureDim; d++) vfeats[f0 + d] = (float)(0.3 * (random.Random() - 0.5));
                    vfeats[f0 + step % FeatureDim] += 1f;
                    vmasks[row * VideoLength + s] = s < seconds;
                }
            }
        }
        return new TrainingBatch(videoIds.ToArray(), ClipsPerVideo, TextLength, VideoLength, FeatureDim, caps, cmasks, vfeats, vmasks);
    }

    private static int StableHash(string s)
    {
        unchecked
        {
            int h = 17;
            foreach (char ch in s) h = h * 31 + ch;
            return h & int.MaxValue;
        }
    }
}
