using Norton.Core.Features;
using Norton.Core;
using Norton.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Benchmarks;

/// <summary>
/// Random inputs for <see cref="NortonLoss"/> shaped like a training batch: leaf feature tensors that require a
/// gradient and masks in the real model's layout (docs/quirks.md Q13). Owns its tensors.
/// </summary>
/// <remarks>
/// Word slot 0 and frame slot 0 are masked ([CLS]), the last frame slot is valid ([SEP]); between them each clip has a
/// valid prefix of uniform random length (1..T-1 words, 0..V-2 frames), so about half of the slots are valid. Pooled
/// features are scaled so that the clip-caption logits (raw dot products) are about N(0, 3^2), as the benchmarks of the
/// Sinkhorn alone assume.
/// </remarks>
public sealed class LossInputs : IDisposable
{
    private LossInputs(Tensor pooledVideo, Tensor pooledText, Tensor frames, Tensor words, Tensor frameMask, Tensor wordMask)
    {
        PooledVideo = pooledVideo;
        PooledText = pooledText;
        Frames = frames;
        Words = words;
        FrameMask = frameMask;
        WordMask = wordMask;
        Video = new VideoFeatures(pooledVideo, frames, frameMask);
        Text = new TextFeatures(pooledText, words, wordMask);
    }

    /// <summary>(N, D) pooled video features.</summary>
    public Tensor PooledVideo { get; }

    /// <summary>(N, D) pooled text features.</summary>
    public Tensor PooledText { get; }

    /// <summary>(N, V, D) frame features.</summary>
    public Tensor Frames { get; }

    /// <summary>(N, T, D) word features.</summary>
    public Tensor Words { get; }

    /// <summary>(N, V) bool frame mask.</summary>
    public Tensor FrameMask { get; }

    /// <summary>(N, T) bool word mask.</summary>
    public Tensor WordMask { get; }

    /// <summary>The video side for the loss.</summary>
    public VideoFeatures Video { get; }

    /// <summary>The text side for the loss.</summary>
    public TextFeatures Text { get; }

    /// <summary>The four leaf tensors that receive gradients.</summary>
    public IEnumerable<Tensor> Leaves => [PooledVideo, PooledText, Frames, Words];

    /// <summary>Creates seeded inputs.</summary>
    /// <param name="clips">N.</param>
    /// <param name="dim">D.</param>
    /// <param name="words">T, word slots (at least 2: [CLS] and a word).</param>
    /// <param name="frames">V, frame slots (at least 2: [CLS] and [SEP]).</param>
    /// <param name="dtype">Feature dtype.</param>
    /// <param name="device">Device.</param>
    /// <param name="seed">Random seed.</param>
    /// <exception cref="ArgumentOutOfRangeException">Too few slots.</exception>
    public static LossInputs Create(long clips, long dim, long words, long frames, ScalarType dtype, Device device, long seed)
    {
        if (words < 2) throw new ArgumentOutOfRangeException(nameof(words), words, "words must be >= 2 ([CLS] and one word).");
        if (frames < 2) throw new ArgumentOutOfRangeException(nameof(frames), frames, "frames must be >= 2 ([CLS] and [SEP]).");
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)seed);
        double pooledStd = Math.Pow(9.0 / dim, 0.25);
        Tensor Leaf(double std, params long[] shape) =>
            Scale(randn(shape, dtype: ScalarType.Float32, generator: gen), std).to(dtype, device).detach().requires_grad_();
        var pv = Leaf(pooledStd, clips, dim);
        var pt = Leaf(pooledStd, clips, dim);
        var vo = Leaf(1.0, clips, frames, dim);
        var to = Leaf(1.0, clips, words, dim);

        var wordCount = randint(1, words, [clips, 1], generator: gen);               // valid words 1..T-1
        using var lastFrame = (frames - 1).ToScalar();
        var w = Scalars.Arange(words).unsqueeze(0);
        var tm = w.ge(Scalars.OneInt64).logical_and(w <= wordCount);
        var frameCount = randint(0, frames - 1, [clips, 1], generator: gen);         // valid frames 0..V-2, then [SEP]
        var f = Scalars.Arange(frames).unsqueeze(0);
        var vm = f.ge(Scalars.OneInt64).logical_and(f <= frameCount).logical_or(f.eq(lastFrame));
        var inputs = new LossInputs(pv, pt, vo, to, vm.to(device), tm.to(device));
        foreach (var t in new[] { inputs.PooledVideo, inputs.PooledText, inputs.Frames, inputs.Words, inputs.FrameMask, inputs.WordMask })
            t.MoveToOuterDisposeScope();
        return inputs;
    }

    private static Tensor Scale(Tensor t, double factor)
    {
        using var s = factor.ToScalar();
        return t.mul(s);
    }

    /// <summary>Drops the accumulated gradients (as <c>zero_grad(set_to_none=True)</c>).</summary>
    public void ClearGradients()
    {
        foreach (var leaf in Leaves)
        {
            var g = leaf.grad;
            if (g is null) continue;
            leaf.grad = null;
            g.Dispose();
        }
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        ClearGradients();
        foreach (var t in new[] { PooledVideo, PooledText, Frames, Words, FrameMask, WordMask })
            t.Dispose();
    }
}
