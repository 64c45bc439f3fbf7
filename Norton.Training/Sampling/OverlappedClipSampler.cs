using Norton.Training.Corpus;

namespace Norton.Training.Sampling;

/// <summary>
/// The paper's pretraining sampler (the original's <c>VideoRetriOverlappedAligner</c>; docs/training-data.md): per video,
/// <see cref="ClipSamplerOptions.ClipsPerVideo"/> samples, each a run of consecutive captions and a video window that
/// overlaps it without being aligned to it, sorted into temporal order.
/// </summary>
/// <remarks>
/// Draws, per sample and in this order, exactly as the original: <c>randint(0, n_captions-1)</c> (start caption),
/// <c>randint(min_len, max_len)</c> (text budget), the caption run's draws, <c>randint(low, high)</c> (window centre,
/// only when low &lt; high), <c>randint(video_min_len, video_max_len)</c> (window length), then one <c>random()</c>
/// per second grown where both directions are open. Stateless apart from its options: safe on any thread with its own
/// random source.
/// </remarks>
public sealed class OverlappedClipSampler
{
    /// <summary>A sampler with <paramref name="options"/> (the paper's when null).</summary>
    public OverlappedClipSampler(ClipSamplerOptions? options = null) => Options = (options ?? new ClipSamplerOptions()).Validate();

    /// <summary>The settings.</summary>
    public ClipSamplerOptions Options { get; }

    /// <summary>Draws the windows of one video's samples, sorted by (text start, video start, text end, video end).</summary>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    public ClipWindow[] Sample(CorpusVideo video, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(random);
        var windows = new ClipWindow[Options.ClipsPerVideo];
        for (int i = 0; i < windows.Length; i++)
            windows[i] = SampleOne(video, random);
        return windows.OrderBy(w => w).ToArray();
    }

    private ClipWindow SampleOne(CorpusVideo video, IRandomSource random)
    {
        int center = (int)random.RandInt(0, video.CaptionCount - 1);
        int budget = (int)random.RandInt(Options.SampledMinLength, Options.SampledMaxLength);
        var (first, last) = CaptionRunSampler.Sample(video.Start, video.End, video.Tokens, center, budget, Options.MaxCaptionSpanSeconds, random);

        int seconds = video.Seconds;
        long low = (long)Math.Floor(video.Start[first]), high = (long)Math.Ceiling(video.End[last]);
        long anchor = low < high ? random.RandInt(low, high) : FloorDiv(low + high, 2);
        int s = (int)Math.Clamp(anchor, 0, seconds - 1), e = s;

        int length = (int)random.RandInt(Options.SampledVideoMinLength, Options.SampledVideoMaxLength);
        for (int grown = 0; (s > 0 || e < seconds) && grown < length; grown++)
        {
            if (s <= 0) e++;
            else if (e >= seconds) s--;
            else if (random.Random() > 0.5) e++;
            else s--;
        }
        return new ClipWindow(first, last + 1, s, e);
    }

    private static long FloorDiv(long a, long b) => a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}
