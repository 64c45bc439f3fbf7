namespace Norton.Models.Data;

/// <summary>One video's pre-tokenised captions from a caption shard (docs/original-model.md §3.1, §4).</summary>
/// <param name="Start">Caption start times in seconds (float32 on disk).</param>
/// <param name="End">Caption end times in seconds.</param>
/// <param name="Tokens">
/// Per caption, its bert-base-uncased word-piece ids without special tokens (at most 32; the −1 padding removed).
/// </param>
public sealed record TokenizedCaptions(IReadOnlyList<float> Start, IReadOnlyList<float> End, IReadOnlyList<int[]> Tokens)
{
    /// <summary>Number of captions.</summary>
    public int Count => Tokens.Count;
}
