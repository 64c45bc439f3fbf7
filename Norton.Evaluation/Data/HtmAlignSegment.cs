namespace Norton.Evaluation.Data;

/// <summary>One annotated text of an HTM-Align video (docs/original-model.md §5.7).</summary>
/// <param name="Alignable">Whether the text is visually alignable (1 in the file).</param>
/// <param name="Start">Start time in seconds.</param>
/// <param name="End">End time in seconds.</param>
/// <param name="Text">The sentence.</param>
public sealed record HtmAlignSegment(bool Alignable, double Start, double End, string Text);
