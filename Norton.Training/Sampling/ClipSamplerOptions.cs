using Norton.Core.Validation;
namespace Norton.Training.Sampling;

/// <summary>
/// The clip sampler's settings, defaults from the paper's pretraining config (<c>how2_pretrain.yaml</c>;
/// docs/training-data.md): 16 clips per video, text budgets of 8-32 tokens, video windows of 3-16 seconds, 16 video slots
/// and 48 slots in all (so 32 caption slots, 29 of them for words).
/// </summary>
public sealed record ClipSamplerOptions
{
    /// <summary>Samples per video (<c>clip_per_video</c>).</summary>
    public int ClipsPerVideo { get; init; } = 16;

    /// <summary>Smallest text budget in tokens (<c>sampled_min_len</c>).</summary>
    public int SampledMinLength { get; init; } = 8;

    /// <summary>Largest text budget in tokens (<c>sampled_max_len</c>).</summary>
    public int SampledMaxLength { get; init; } = 32;

    /// <summary>Shortest video window in seconds (<c>sampled_video_min_len</c>).</summary>
    public int SampledVideoMinLength { get; init; } = 3;

    /// <summary>Longest video window in seconds (<c>sampled_video_max_len</c>).</summary>
    public int SampledVideoMaxLength { get; init; } = 16;

    /// <summary>Video slots per row (<c>max_video_len</c>).</summary>
    public int MaxVideoLength { get; init; } = 16;

    /// <summary>Video + text slots (<c>max_len</c>); the caption row has <c>MaxLength - MaxVideoLength</c> slots.</summary>
    public int MaxLength { get; init; } = 48;

    /// <summary>A caption run stops growing once it spans this many seconds (the original's fixed 256).</summary>
    public double MaxCaptionSpanSeconds { get; init; } = 256;

    /// <summary>[CLS] id (bert-base-uncased: 101).</summary>
    public int ClsTokenId { get; init; } = 101;

    /// <summary>[SEP] id (102).</summary>
    public int SepTokenId { get; init; } = 102;

    /// <summary>[PAD] id (0).</summary>
    public int PadTokenId { get; init; } = 0;

    /// <summary>Token slots of a caption row: <c>MaxLength - MaxVideoLength</c> (32).</summary>
    public int TextLength => MaxLength - MaxVideoLength;

    /// <summary>Word slots of a caption row, between <c>[CLS] [SEP]</c> and the final <c>[SEP]</c> (29).</summary>
    public int MaxWords => MaxLength - MaxVideoLength - 3;

    /// <summary>Throws unless the settings make sense.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting out of range; the message names it.</exception>
    public ClipSamplerOptions Validate()
    {
        Positive(ClipsPerVideo, nameof(ClipsPerVideo));
        Positive(SampledMinLength, nameof(SampledMinLength));
        if (SampledMaxLength < SampledMinLength)
            throw Guard.OutOfRange(nameof(SampledMaxLength), SampledMaxLength, $"be >= {nameof(SampledMinLength)} ({SampledMinLength})");
        Positive(SampledVideoMinLength, nameof(SampledVideoMinLength));
        if (SampledVideoMaxLength < SampledVideoMinLength)
            throw Guard.OutOfRange(nameof(SampledVideoMaxLength), SampledVideoMaxLength, $"be >= {nameof(SampledVideoMinLength)} ({SampledVideoMinLength})");
        Positive(MaxVideoLength, nameof(MaxVideoLength));
        if (MaxWords < 1)
            throw Guard.OutOfRange(nameof(MaxLength), MaxLength, $"leave room for [CLS] [SEP] a word [SEP] after {MaxVideoLength} video slots");
        if (!(MaxCaptionSpanSeconds > 0))
            throw Guard.OutOfRange(nameof(MaxCaptionSpanSeconds), MaxCaptionSpanSeconds, "be > 0");
        return this;
    }

    private static void Positive(int value, string name)
    {
        if (value < 1) throw Guard.OutOfRange(name, value, "be > 0");
    }
}
