namespace Norton.Training.Sampling;

/// <summary>
/// Where one sample came from: captions [<see cref="TextStart"/>, <see cref="TextEnd"/>) and seconds
/// [<see cref="VideoStart"/>, <see cref="VideoEnd"/>) of its video (the original's <c>text_start</c> ...
/// <c>video_end</c>).
/// </summary>
/// <param name="TextStart">First caption.</param>
/// <param name="TextEnd">One past the last caption.</param>
/// <param name="VideoStart">First second.</param>
/// <param name="VideoEnd">One past the last second.</param>
public readonly record struct ClipWindow(int TextStart, int TextEnd, int VideoStart, int VideoEnd) : IComparable<ClipWindow>
{
    /// <summary>The original's sort key: (text_start, video_start, text_end, video_end).</summary>
    public int CompareTo(ClipWindow other)
    {
        int c = TextStart.CompareTo(other.TextStart);
        if (c != 0) return c;
        c = VideoStart.CompareTo(other.VideoStart);
        if (c != 0) return c;
        c = TextEnd.CompareTo(other.TextEnd);
        return c != 0 ? c : VideoEnd.CompareTo(other.VideoEnd);
    }
}
