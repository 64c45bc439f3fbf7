namespace Norton.Evaluation.Metrics;

/// <summary>One window of the HTM-Align sliding-window evaluation (docs/original-model.md §5.7).</summary>
/// <param name="Index">Position of the window in the list of candidate starts (skipped windows keep their number).</param>
/// <param name="Start">First second of the window.</param>
/// <param name="Length">Seconds of video in the window, <c>min(T, Start + size) − Start</c>.</param>
/// <param name="FirstText">First active text (inclusive).</param>
/// <param name="LastText">Last active text (inclusive); every text in between is active, alignable or not.</param>
public sealed record AlignmentWindow(int Index, int Start, int Length, int FirstText, int LastText)
{
    /// <summary>Number of active texts.</summary>
    public int TextCount => LastText - FirstText + 1;
}
