using Norton.Core.Validation;
namespace Norton.Evaluation.Metrics;

/// <summary>
/// The videos of a video–paragraph retrieval set and where each sits in the similarity matrix. Their order is the
/// order of the score matrix's rows and columns and of the ground truth (paragraph k belongs to video k).
/// </summary>
/// <remarks>
/// The original orders the videos by sorted id in the background-removed metric (§5.4) and by Python set order in
/// §5.3. The order matters only for the tie rule, so the factories here sort ids ordinally (Python's string order).
/// </remarks>
public sealed class ParagraphLayout
{
    /// <summary>Builds a layout from explicit spans, checked against each other.</summary>
    /// <exception cref="ArgumentException">No spans, a count below 1, or a negative start.</exception>
    public ParagraphLayout(IReadOnlyList<ParagraphSpan> videos)
    {
        ArgumentNullException.ThrowIfNull(videos);
        if (videos.Count == 0)
            throw new ArgumentException("a retrieval set needs at least one video; got none.", nameof(videos));
        for (int k = 0; k < videos.Count; k++)
        {
            ParagraphSpan v = videos[k] ?? throw new ArgumentException($"video {k} is null.", nameof(videos));
            if (v.CaptionCount < 1 || v.ClipCount < 1 || v.CaptionStart < 0 || v.ClipStart < 0)
                throw new ArgumentException(
                    $"video {k} ({v.VideoId}) has captions [{v.CaptionStart}, +{v.CaptionCount}) and clips [{v.ClipStart}, +{v.ClipCount}); starts must be ≥ 0 and counts ≥ 1.",
                    nameof(videos));
        }
        Videos = videos.ToArray();
        Bounds = new ParagraphBounds(Videos.Max(v => v.CaptionCount), Videos.Max(v => v.ClipCount));
        CaptionRows = Videos.Max(v => v.CaptionStart + v.CaptionCount);
        ClipColumns = Videos.Max(v => v.ClipStart + v.ClipCount);
    }

    /// <summary>The videos, in score-matrix order.</summary>
    public IReadOnlyList<ParagraphSpan> Videos { get; }

    /// <summary>Longest paragraph and longest video.</summary>
    public ParagraphBounds Bounds { get; }

    /// <summary>Rows the similarity matrix needs at least.</summary>
    public int CaptionRows { get; }

    /// <summary>Columns the similarity matrix needs at least.</summary>
    public int ClipColumns { get; }

    /// <summary>
    /// Consecutive blocks, in the given order: video k has <c>captionCounts[k]</c> rows after those of videos
    /// 0..k−1, and <c>clipCounts[k]</c> columns likewise (the background-removed layout, Σcaptions × Σwindows).
    /// </summary>
    /// <exception cref="ArgumentException">Lists of different lengths, empty, or a count below 1.</exception>
    public static ParagraphLayout FromCounts(
        IReadOnlyList<int> captionCounts, IReadOnlyList<int> clipCounts, IReadOnlyList<string>? videoIds = null)
    {
        ArgumentNullException.ThrowIfNull(captionCounts);
        ArgumentNullException.ThrowIfNull(clipCounts);
        if (captionCounts.Count != clipCounts.Count || (videoIds is not null && videoIds.Count != captionCounts.Count))
            throw new ArgumentException(
                $"one entry per video is needed; got {captionCounts.Count} caption counts, {clipCounts.Count} clip counts, {videoIds?.Count.ToString() ?? "no"} ids.",
                nameof(clipCounts));
        var spans = new List<ParagraphSpan>(captionCounts.Count);
        int row = 0, column = 0;
        for (int k = 0; k < captionCounts.Count; k++)
        {
            spans.Add(new ParagraphSpan(videoIds?[k], row, captionCounts[k], column, clipCounts[k]));
            row += captionCounts[k];
            column += clipCounts[k];
        }
        return new ParagraphLayout(spans);
    }

    /// <summary>
    /// §5.3 layout: an n × n matrix over annotated segments, where segment c's caption is row c and its clip
    /// column c, and <paramref name="segmentVideoIds"/>[c] names its video. Videos are ordered by id (ordinal).
    /// </summary>
    /// <remarks>
    /// Ids are compared for equality; the original's substring test (<c>video in clip_id</c>) is the same for
    /// YouTube's fixed-length 11-character ids.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// Empty, or a video's segments are not contiguous (the original takes the slice from its first to its last
    /// segment, which would silently include other videos' segments).
    /// </exception>
    public static ParagraphLayout FromSegmentVideoIds(IReadOnlyList<string> segmentVideoIds)
    {
        var runs = ContiguousRuns(segmentVideoIds, nameof(segmentVideoIds));
        return new ParagraphLayout(runs
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => new ParagraphSpan(r.Id, r.Start, r.Count, r.Start, r.Count))
            .ToArray());
    }

    /// <summary>
    /// §5.4 layout: consecutive blocks given in input order (the predictor's order), then ordered by id (ordinal)
    /// as the original's <c>sorted(set(ids))</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Mismatched lengths, a count below 1, or a repeated id.</exception>
    public static ParagraphLayout FromVideoIds(
        IReadOnlyList<string> videoIds, IReadOnlyList<int> captionCounts, IReadOnlyList<int> clipCounts)
    {
        ArgumentNullException.ThrowIfNull(videoIds);
        if (videoIds.Distinct(StringComparer.Ordinal).Count() != videoIds.Count)
            throw new ArgumentException($"{nameof(videoIds)} repeats an id; each video must appear once.", nameof(videoIds));
        ParagraphLayout inInputOrder = FromCounts(captionCounts, clipCounts, videoIds);
        return new ParagraphLayout(inInputOrder.Videos.OrderBy(v => v.VideoId, StringComparer.Ordinal).ToArray());
    }

    private static List<(string Id, int Start, int Count)> ContiguousRuns(IReadOnlyList<string> ids, string argumentName)
    {
        ArgumentNullException.ThrowIfNull(ids, argumentName);
        if (ids.Count == 0)
            throw Guard.Argument(argumentName, "not be empty", "is empty");
        var runs = new List<(string Id, int Start, int Count)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < ids.Count; i++)
        {
            string id = ids[i] ?? throw new ArgumentException($"{argumentName}[{i}] is null.", argumentName);
            if (runs.Count > 0 && runs[^1].Id == id)
            {
                runs[^1] = (id, runs[^1].Start, runs[^1].Count + 1);
                continue;
            }
            if (!seen.Add(id))
                throw new ArgumentException(
                    $"{argumentName}[{i}] = '{id}' reappears after other videos; each video's segments must be contiguous.",
                    argumentName);
            runs.Add((id, i, 1));
        }
        return runs;
    }
}
