using static TorchSharp.torch;

namespace Norton.Losses.Profiling;

/// <summary>
/// Synthetic inputs shaped like Norton's training batches, for profiling the loss: pooled, frame and word features
/// (leaf tensors that require a gradient) and masks in the real model's layout.
/// </summary>
/// <remarks>
/// Masks (spec Q13): word slot 0 and frame slot 0 are masked ([CLS]); the last frame slot is valid ([SEP]); between
/// them each row has a valid prefix of random length, so about half of the slots are valid. Owns its tensors.
/// </remarks>
public sealed class ProfileInputs : IDisposable
{
    private ProfileInputs(VideoFeatures video, TextFeatures text)
    {
        Video = video;
        Text = text;
    }

    /// <summary>The video side (pooled, frames, mask).</summary>
    public VideoFeatures Video { get; }

    /// <summary>The text side (pooled, words, mask).</summary>
    public TextFeatures Text { get; }

    /// <summary>Fraction of valid word slots.</summary>
    public double ValidWordFraction => Text.Mask!.to(ScalarType.Float64).mean().item<double>();

    /// <summary>Fraction of valid frame slots.</summary>
    public double ValidFrameFraction => Video.Mask!.to(ScalarType.Float64).mean().item<double>();

    /// <summary>Creates seeded inputs.</summary>
    /// <param name="clips">N (a multiple of the loss's Length).</param>
    /// <param name="dim">D.</param>
    /// <param name="wordSlots">T (at least 2).</param>
    /// <param name="frameSlots">V (at least 3).</param>
    /// <param name="dtype">Feature dtype.</param>
    /// <param name="seed">Random seed.</param>
    public static ProfileInputs Create(long clips = 1024, long dim = 768, long wordSlots = 32, long frameSlots = 16,
        ScalarType dtype = ScalarType.Float32, long seed = 0)
    {
        if (wordSlots < 2) throw new ArgumentOutOfRangeException(nameof(wordSlots), wordSlots, "wordSlots must be >= 2 ([CLS] + one word).");
        if (frameSlots < 3) throw new ArgumentOutOfRangeException(nameof(frameSlots), frameSlots, "frameSlots must be >= 3 ([CLS], a frame, [SEP]).");
        using var scope = NewDisposeScope();
        var gen = new Generator().manual_seed(seed);
        Tensor Leaf(params long[] shape) => randn(shape, dtype: ScalarType.Float32, generator: gen).to(dtype).requires_grad_();
        var pv = Leaf(clips, dim);
        var pt = Leaf(clips, dim);
        var vo = Leaf(clips, frameSlots, dim);
        var to = Leaf(clips, wordSlots, dim);

        // words: [CLS] masked, then a valid prefix of 1..T-1 words
        var wordLen = randint(1, wordSlots, [clips, 1], generator: gen);
        var w = arange(wordSlots).unsqueeze(0);
        var tm = (w >= 1).logical_and(w <= wordLen);
        // frames: [CLS] masked, a valid prefix of 1..V-2 frames, [SEP] valid
        var frameLen = randint(1, frameSlots - 1, [clips, 1], generator: gen);
        var f = arange(frameSlots).unsqueeze(0);
        var vm = (f >= 1).logical_and(f <= frameLen).logical_or(f == frameSlots - 1);

        foreach (var t in new[] { pv, pt, vo, to, vm, tm }) t.MoveToOuterDisposeScope();
        return new ProfileInputs(new VideoFeatures(pv, vo, vm), new TextFeatures(pt, to, tm));
    }

    /// <summary>Clears the gradients of the four feature tensors.</summary>
    public void ZeroGrad()
    {
        foreach (var t in new[] { Video.Pooled, Video.Frames!, Text.Pooled, Text.Words! })
            t.grad?.zero_();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in new[] { Video.Pooled, Video.Frames!, Video.Mask!, Text.Pooled, Text.Words!, Text.Mask! })
            t.Dispose();
    }
}
