namespace Norton.Evaluation.Runners;

/// <summary>Progress of a run: items done out of a total, in a named stage.</summary>
/// <param name="Stage">What is being done.</param>
/// <param name="Done">Items done.</param>
/// <param name="Total">Items in all.</param>
public readonly record struct EvaluationProgress(string Stage, int Done, int Total);
