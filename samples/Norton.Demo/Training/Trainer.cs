using Norton.Core.Features;
using Norton.Core.Optimization;
using Norton.Demo.Data;
using Norton.Demo.Evaluation;
using Norton.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Demo.Training;

/// <summary>
/// Trains a <see cref="DualEncoder"/> with a loss on noisy pairs: batches of whole videos in a seeded order, Adam.
/// </summary>
internal sealed class Trainer
{
    private readonly DemoOptions _options;

    public Trainer(DemoOptions options) => _options = options;

    /// <summary>Number of optimiser steps of one run.</summary>
    public int Steps(int videos) => _options.Epochs * ((videos + _options.BatchVideos - 1) / _options.BatchVideos);

    /// <summary>Trains in place and returns one record per epoch.</summary>
    /// <param name="model">The encoders.</param>
    /// <param name="loss">NortonLoss with the paper's options, or with the OTs off (InfoNCE).</param>
    /// <param name="train">Noisy training pairs.</param>
    /// <param name="test">Held-out videos for the per-epoch R@1 of the curves.</param>
    /// <param name="step">Called after every optimiser step (progress).</param>
    public IReadOnlyList<EpochRecord> Train(DualEncoder model, NortonLoss loss, NoisyVideoSet train, NoisyVideoSet test, Action step)
    {
        int batch = _options.BatchVideos;
        using var optimizer = new Adam(model.parameters(), new AdamOptions { LearningRate = _options.LearningRate });
        using var order = new Generator(unchecked((ulong)_options.Seed * 31UL + 17UL));   // same batches for every run of this seed
        bool sequence = loss.Options.SequenceContrastWeight is not null;
        var history = new List<EpochRecord>();
        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            model.train();
            using var perm = randperm(train.Count, generator: order);
            double sum = 0;
            int batches = 0;
            for (int start = 0; start < train.Count; start += batch)
            {
                using var scope = NewDisposeScope();
                var videos = perm.narrow(0, start, Math.Min(batch, train.Count - start));
                var frames = train.Frames.index_select(0, videos).flatten(0, 1);   // (B * clips, frames, 64)
                var words = train.Words.index_select(0, videos).flatten(0, 1);
                var (pooledVideo, frameTokens) = model.EncodeVideo(frames);
                var (pooledText, wordTokens) = model.EncodeText(words);
                using var output = loss.forward(
                    sequence ? new VideoFeatures(pooledVideo, frameTokens) : new VideoFeatures(pooledVideo),
                    sequence ? new TextFeatures(pooledText, wordTokens) : new TextFeatures(pooledText));
                optimizer.ZeroGrad();
                output.Loss.backward();
                optimizer.Step();
                sum += output.Loss.item<float>();
                batches++;
                step();
            }
            history.Add(new EpochRecord(epoch, sum / batches, DemoEvaluator.ClipR1(model, test)));
        }
        return history;
    }
}
