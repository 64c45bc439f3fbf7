namespace Norton.Evaluation.Runners;

/// <summary>What is kept of an item after encoding.</summary>
internal sealed record AlignedItemInfo(string VideoId, (int Start, int End)? Segment);
