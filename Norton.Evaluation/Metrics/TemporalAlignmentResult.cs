namespace Norton.Evaluation.Metrics;

/// <summary>HTM-Align temporal alignment scores (docs/original-model.md §5.7).</summary>
/// <param name="Recall">
/// Fraction of alignable texts, over all videos, whose best second lies in <c>[⌊start⌋, ⌈end⌉]</c>; null when no
/// text is alignable.
/// </param>
/// <param name="Auc">
/// ROC AUC of "alignable" against each text's best similarity, over all texts of all videos (ties count ½); null
/// when only one class is present (sklearn raises there).
/// </param>
/// <param name="AlignableTexts">Number of alignable texts scored.</param>
/// <param name="Texts">Number of texts scored.</param>
public sealed record TemporalAlignmentResult(double? Recall, double? Auc, int AlignableTexts, int Texts);
