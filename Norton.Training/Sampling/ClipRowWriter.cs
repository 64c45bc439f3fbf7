using Norton.Training.Corpus;

namespace Norton.Training.Sampling;

/// <summary>
/// Turns sampled windows into the model's rows (the original's <c>_build_text_seq</c> / <c>_build_video_seq</c>):
/// caps <c>[CLS] [SEP] + words[:MaxWords] + [SEP]</c> padded with [PAD] and its mask; the window's first
/// <c>MaxVideoLength</c> seconds of features, zero-padded, and their mask.
/// </summary>
public static class ClipRowWriter
{
    /// <summary>Writes <paramref name="windows"/> of <paramref name="video"/> as rows <c>row, row+1, ...</c>.</summary>
    /// <param name="video">The source video.</param>
    /// <param name="windows">The samples.</param>
    /// <param name="options">Slot counts and special tokens.</param>
    /// <param name="caps">Rows x TextLength ids (written, padding included).</param>
    /// <param name="capsMask">Rows x TextLength.</param>
    /// <param name="videoFeatures">Rows x MaxVideoLength x FeatureDim (written, zeros included).</param>
    /// <param name="videoMask">Rows x MaxVideoLength.</param>
    /// <param name="row">First row to write.</param>
    /// <exception cref="ArgumentException">Arrays too small, a feature width that differs from the video's, or a window outside the video.</exception>
    public static void Write(CorpusVideo video, IReadOnlyList<ClipWindow> windows, ClipSamplerOptions options,
        long[] caps, bool[] capsMask, float[] videoFeatures, bool[] videoMask, int row)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(options);
        int textLength = options.TextLength, slots = options.MaxVideoLength, dim = video.FeatureDim;
        long rows = (long)row + windows.Count;
        if (row < 0 || caps.Length < rows * textLength || capsMask.Length < rows * textLength
            || videoMask.Length < rows * slots || videoFeatures.Length < rows * slots * dim)
            throw new ArgumentException(
                $"video '{video.Id}': the row arrays are too small for rows [{row}, {rows}) of {textLength} tokens and {slots} x {dim} features.", nameof(caps));
        for (int i = 0; i < windows.Count; i++)
        {
            var w = windows[i];
            if (w.TextStart < 0 || w.TextEnd > video.CaptionCount || w.TextStart >= w.TextEnd || w.VideoStart < 0 || w.VideoEnd > video.Seconds || w.VideoEnd < w.VideoStart)
                throw new ArgumentException($"video '{video.Id}': window {w} lies outside its {video.CaptionCount} captions / {video.Seconds} s.", nameof(windows));
            WriteText(video, w, options, caps.AsSpan((row + i) * textLength, textLength), capsMask.AsSpan((row + i) * textLength, textLength));
            WriteVideo(video, w, videoFeatures.AsSpan((row + i) * slots * dim, slots * dim), videoMask.AsSpan((row + i) * slots, slots));
        }
    }

    private static void WriteText(CorpusVideo video, ClipWindow w, ClipSamplerOptions options, Span<long> caps, Span<bool> mask)
    {
        caps.Fill(options.PadTokenId);
        mask.Clear();
        caps[0] = options.ClsTokenId;
        caps[1] = options.SepTokenId;
        int at = 2, words = 0;
        for (int c = w.TextStart; c < w.TextEnd && words < options.MaxWords; c++)
            foreach (int id in video.Tokens[c])
            {
                if (words == options.MaxWords) break;
                caps[at++] = id;
                words++;
            }
        caps[at++] = options.SepTokenId;
        mask[..at].Fill(true);
    }

    private static void WriteVideo(CorpusVideo video, ClipWindow w, Span<float> features, Span<bool> mask)
    {
        int dim = video.FeatureDim, slots = mask.Length;
        int length = Math.Min(slots, w.VideoEnd - w.VideoStart);
        features.Clear();
        mask.Clear();
        video.Features.AsSpan(w.VideoStart * dim, length * dim).CopyTo(features);
        mask[..length].Fill(true);
    }
}
