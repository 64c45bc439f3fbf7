using static TorchSharp.torch;

namespace Norton.Evaluation.Alignment;

/// <summary>
/// What <see cref="ZeroShotAligner.Align(Tensor)"/> found for one paragraph (m captions) and one video (n clips):
/// the OT plan with the prompt bucket, which caption goes to which clip, which captions are unalignable and which
/// clips are background. Owns its tensors (dispose it).
/// </summary>
public sealed class ZeroShotAlignment : IDisposable
{
    internal ZeroShotAlignment(Tensor similarity, Tensor plan, Tensor augmentedPlan, int[] captionClips, bool[] backgroundClips,
        double transportValue, double bucketValue)
    {
        Similarity = similarity;
        Plan = plan;
        AugmentedPlan = augmentedPlan;
        CaptionClips = captionClips;
        BackgroundClips = backgroundClips;
        TransportValue = transportValue;
        BucketValue = bucketValue;
    }

    /// <summary>(m, n) similarities the plan was solved on, [caption, clip] (float32, or float64 for float64 input).</summary>
    public Tensor Similarity { get; }

    /// <summary>(m, n) plan <c>(m+n) P</c> between captions and clips, bucket row and column cropped.</summary>
    public Tensor Plan { get; }

    /// <summary>
    /// (m+1, n+1) plan <c>(m+n) P</c> including the bucket: column n holds each caption's unaligned mass, row m each
    /// clip's. Each of the first m rows and n columns sums to one.
    /// </summary>
    public Tensor AugmentedPlan { get; }

    /// <summary>For each caption, the clip it is aligned to (arg-max of its plan row), or -1 when the bucket wins
    /// (unalignable caption).</summary>
    public IReadOnlyList<int> CaptionClips { get; }

    /// <summary>For each clip, whether the bucket wins its plan column (background clip: no caption describes it).</summary>
    public IReadOnlyList<bool> BackgroundClips { get; }

    /// <summary>
    /// The mean over captions of what each caption's unit of mass earns: the similarity of the clips it is sent to,
    /// or the bucket value for the part sent to the bucket. A paragraph-to-video score (larger = better match): a
    /// caption that fits no clip costs the video no more than p.
    /// </summary>
    public double TransportValue { get; }

    /// <summary>The bucket value p the plan was solved with.</summary>
    public double BucketValue { get; }

    /// <summary>Number of captions aligned to a clip.</summary>
    public int AlignedCaptions => CaptionClips.Count(c => c >= 0);

    /// <inheritdoc />
    public void Dispose()
    {
        Similarity.Dispose();
        Plan.Dispose();
        AugmentedPlan.Dispose();
    }
}
