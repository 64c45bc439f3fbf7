namespace Norton.Demo.Evaluation;

/// <summary>The table's figures for one training run, all against the clean ground truth of the held-out videos.</summary>
/// <param name="ClipR1">Caption-to-clip R@1 over every held-out clip (cosine), for the captions that describe a clip:
/// right when the top clip shows the step the caption describes.</param>
/// <param name="ClipR5">Same, R@5.</param>
/// <param name="ClipR10">Same, R@10.</param>
/// <param name="ParagraphR1">Paragraph-to-video R@1 by OT with the prompt bucket on cosine similarities.</param>
/// <param name="ParagraphR1CapAvg">Paragraph-to-video R@1 by Cap.Avg on cosine similarities.</param>
/// <param name="ParagraphR1Dtw">Paragraph-to-video R@1 by DTW with distance 1 - cosine (reported, not judged: its
/// verdict depends on the distance convention).</param>
/// <param name="AlignmentRecall">Fraction of alignable captions whose OT plan row (within their own video) peaks at
/// their true clip (HTM-Align's rule).</param>
/// <param name="AlignmentAuc">ROC AUC of "alignable" against each caption's largest plan entry.</param>
/// <param name="BucketValue">The prompt bucket value (cosine) taken from the training pairs.</param>
public sealed record MethodResults(
    double ClipR1, double ClipR5, double ClipR10,
    double ParagraphR1, double ParagraphR1CapAvg, double ParagraphR1Dtw,
    double AlignmentRecall, double AlignmentAuc, double BucketValue);
