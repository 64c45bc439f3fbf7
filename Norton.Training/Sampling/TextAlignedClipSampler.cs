using Norton.Training.Corpus;

namespace Norton.Training.Sampling;

/// <summary>
/// The sampler of the retrieval step's video vectors (the original's <c>VariedLenAligner</c>; docs/training-data.md): the
/// same caption runs as <see cref="OverlappedClipSampler"/>, but the video window is the run's own time span,
/// <c>[max(min(floor(start[first]), end_v), 0), end_v)</c> with <c>end_v = min(ceil(end[last]), T)</c> (cut to
/// <see cref="ClipSamplerOptions.MaxVideoLength"/> seconds when written). No sorting: the vector is a mean.
/// </summary>
public sealed class TextAlignedClipSampler
{
    /// <summary>A sampler with <paramref name="options"/> (the paper's when null).</summary>
    public TextAlignedClipSampler(ClipSamplerOptions? options = null) => Options = (options ?? new ClipSamplerOptions()).Validate();

    /// <summary>The settings.</summary>
    public ClipSamplerOptions Options { get; }

    /// <summary>Draws the windows of one video's samples.</summary>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    public ClipWindow[] Sample(CorpusVideo video, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(random);
        var windows = new ClipWindow[Options.ClipsPerVideo];
        for (int i = 0; i < windows.Length; i++)
        {
            int center = (int)random.RandInt(0, video.CaptionCount - 1);
            int budget = (int)random.RandInt(Options.SampledMinLength, Options.SampledMaxLength);
            var (first, last) = CaptionRunSampler.Sample(video.Start, video.End, video.Tokens, center, budget, Options.MaxCaptionSpanSeconds, random);
            long end = Math.Min((long)Math.Ceiling(video.End[last]), video.Seconds);
            long start = Math.Max(Math.Min((long)Math.Floor(video.Start[first]), end), 0);
            windows[i] = new ClipWindow(first, last + 1, (int)start, (int)Math.Max(end, start));
        }
        return windows;
    }
}
