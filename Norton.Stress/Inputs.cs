using Norton.Core.Features;
using Norton.Core;
using Norton.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Stress;

/// <summary>Small seeded leaf tensors for the loss workloads: pooled, frame and word features with masks.</summary>
internal sealed class Inputs : IDisposable
{
    public Inputs(long clips, long dim, long words, long frames, int seed)
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)(1000 + seed));
        Tensor Leaf(params long[] shape) => randn(shape, generator: gen).requires_grad_().MoveToOuterDisposeScope();
        PooledVideo = Leaf(clips, dim);
        PooledText = Leaf(clips, dim);
        Frames = Leaf(clips, frames, dim);
        Words = Leaf(clips, words, dim);
        // Slot 0 masked ([CLS]), the rest valid except a random tail of the words.
        var w = Scalars.Arange(words).unsqueeze(0);
        var wordCount = randint(1, words, [clips, 1], generator: gen);
        WordMask = w.ge(Scalars.OneInt64).logical_and(w.le(wordCount)).MoveToOuterDisposeScope();
        var f = Scalars.Arange(frames).unsqueeze(0).expand(clips, frames);
        FrameMask = f.ge(Scalars.OneInt64).MoveToOuterDisposeScope();
    }

    public Tensor PooledVideo { get; }
    public Tensor PooledText { get; }
    public Tensor Frames { get; }
    public Tensor Words { get; }
    public Tensor FrameMask { get; }
    public Tensor WordMask { get; }

    public VideoFeatures Video => new(PooledVideo, Frames, FrameMask);
    public TextFeatures Text => new(PooledText, Words, WordMask);

    public void ClearGradients()
    {
        foreach (var leaf in new[] { PooledVideo, PooledText, Frames, Words })
        {
            var g = leaf.grad;
            if (g is null) continue;
            leaf.grad = null;
            g.Dispose();
        }
    }

    public void Dispose()
    {
        ClearGradients();
        foreach (var t in new[] { PooledVideo, PooledText, Frames, Words, FrameMask, WordMask }) t.Dispose();
    }
}
