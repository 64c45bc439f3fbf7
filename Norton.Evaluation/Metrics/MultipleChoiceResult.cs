namespace Norton.Evaluation.Metrics;

/// <summary>Multiple-choice QA accuracy (docs/original-model.md §5.5).</summary>
/// <param name="Accuracy">Fraction of questions whose predicted option is the answer.</param>
/// <param name="Predictions">The predicted option of each question (0-based).</param>
public sealed record MultipleChoiceResult(double Accuracy, IReadOnlyList<int> Predictions);
