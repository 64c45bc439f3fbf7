using static TorchSharp.torch;

namespace Norton.Evaluation.Processing;

/// <summary>
/// What the original's aligner hands the model for one test item: token sequences and video slots, plus what the
/// task adds. Tensors are CPU and owned by the item.
/// </summary>
public sealed class AlignedItem : IDisposable
{
    /// <summary>The video id.</summary>
    public required string VideoId { get; init; }

    /// <summary><c>caps</c>: (Lc) for one caption, (C, Lc) for several (QA answers, a video's steps), (W, 4) dummy
    /// captions for window tasks.</summary>
    public required Tensor Caps { get; init; }

    /// <summary><c>cmasks</c>, the same shape as <see cref="Caps"/>.</summary>
    public required Tensor Cmasks { get; init; }

    /// <summary><c>vfeats</c>: (Tv, D), or (W, Tv, D) for window tasks.</summary>
    public required Tensor Vfeats { get; init; }

    /// <summary><c>vmasks</c>: (Tv), or (W, Tv).</summary>
    public required Tensor Vmasks { get; init; }

    /// <summary>The whole video's length in seconds (feature rows).</summary>
    public int VideoLength { get; init; }

    /// <summary>MSR-VTT QA: the right answer's index (0-based).</summary>
    public int? Answer { get; init; }

    /// <summary>YouCook2 clips: the annotated segment (start, end) in seconds.</summary>
    public (int Start, int End)? Segment { get; init; }

    /// <summary>COIN: (W, Tv) window targets, −100 on padded slots.</summary>
    public Tensor? Targets { get; init; }

    /// <summary>COIN: the per-second labels of the whole video (0 = background).</summary>
    public IReadOnlyList<long>? VideoTargets { get; init; }

    /// <inheritdoc />
    public void Dispose()
    {
        Caps.Dispose();
        Cmasks.Dispose();
        Vfeats.Dispose();
        Vmasks.Dispose();
        Targets?.Dispose();
    }
}
