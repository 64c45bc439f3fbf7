namespace Norton.Losses;

/// <summary>What padded word and frame slots contribute to the fine-grained similarity.</summary>
public enum FineGrainedPadding
{
    /// <summary>
    /// The original's arithmetic (docs/quirks.md Q3), needed for parity with Norton: a padded word of caption a contributes
    /// <c>alpha * log(#valid frames of video b)</c>, the sum runs over all T word slots and is divided by the number of
    /// valid words (likewise for padded frames in the video-to-text direction). The result therefore depends on the
    /// padded lengths T and V.
    /// </summary>
    Original,

    /// <summary>Padded slots are ignored entirely: each direction is the mean over valid words (frames) only.</summary>
    IgnorePadded,
}
