namespace Norton.Evaluation.Data;

/// <summary>One annotated step of a COIN video.</summary>
/// <param name="Start">Start in seconds.</param>
/// <param name="End">End in seconds.</param>
/// <param name="Label">The step id (1..778); 0 is background and never annotated.</param>
public sealed record CoinSegment(double Start, double End, int Label);
