namespace Norton.Models.Data;

/// <summary>The sentence-level ASR captions of one video (docs/original-model.md §3.1), one entry per sentence.</summary>
/// <param name="Start">Start times in seconds.</param>
/// <param name="End">End times in seconds.</param>
/// <param name="Text">Sentences; a non-string entry in the source is read as "" (the original tokenises it to nothing).</param>
public sealed record VideoCaptions(IReadOnlyList<double> Start, IReadOnlyList<double> End, IReadOnlyList<string> Text)
{
    /// <summary>Number of sentences.</summary>
    public int Count => Text.Count;
}
