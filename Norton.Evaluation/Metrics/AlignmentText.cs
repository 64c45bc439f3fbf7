namespace Norton.Evaluation.Metrics;

/// <summary>One text of an HTM-Align video (docs/original-model.md §5.7).</summary>
/// <param name="Alignable">Whether the text is visually alignable (only these are scored for recall).</param>
/// <param name="Start">Start time in seconds: the annotated one for alignable texts, the ASR one otherwise.</param>
/// <param name="End">End time in seconds.</param>
public readonly record struct AlignmentText(bool Alignable, double Start, double End);
