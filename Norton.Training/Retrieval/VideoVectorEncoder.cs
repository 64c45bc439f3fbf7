using Norton.Models;
using Norton.Training.Sampling;
using TorchSharp;
using static TorchSharp.torch;
using Norton.Training.Corpus;

namespace Norton.Training.Retrieval;

/// <summary>
/// The retrieval step's video vectors (docs/training-data.md): per video, <see cref="ClipSamplerOptions.ClipsPerVideo"/>
/// clips with text-aligned windows (<see cref="TextAlignedClipSampler"/>), the model in eval mode without gradients,
/// vector = mean over the clips of (pooled video + pooled text) / 2.
/// </summary>
public static class VideoVectorEncoder
{
    private static readonly Scalar Half = 0.5.ToScalar();

    /// <summary>Encodes <paramref name="videoIds"/> in batches of <paramref name="videosPerForward"/> videos.</summary>
    /// <param name="model">The model; its training mode is restored afterwards.</param>
    /// <param name="corpus">Where the videos are read.</param>
    /// <param name="videoIds">Videos to encode, in output row order.</param>
    /// <param name="random">Draws the clips.</param>
    /// <param name="options">Clip settings (the paper's when null).</param>
    /// <param name="videosPerForward">Videos per forward pass (x clips rows).</param>
    /// <returns>(n, hidden) float32 vectors on the model's device.</returns>
    public static Tensor Encode(VideoTextModel model, PretrainingCorpus corpus, IReadOnlyList<string> videoIds, IRandomSource random,
        ClipSamplerOptions? options = null, int videosPerForward = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(videoIds);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(videosPerForward, 1);
        if (videoIds.Count == 0) throw new ArgumentException("no videos to encode.", nameof(videoIds));
        var sampler = new TextAlignedClipSampler(options);
        var o = sampler.Options;
        var parameter = model.parameters().First();
        Device device = parameter.device;
        ScalarType dtype = parameter.dtype;
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var parts = new List<Tensor>();
            for (int at = 0; at < videoIds.Count; at += videosPerForward)
            {
                using var inner = NewDisposeScope();
                int videos = Math.Min(videosPerForward, videoIds.Count - at), rows = videos * o.ClipsPerVideo, dim = corpus.FeatureDim;
                var caps = new long[rows * o.TextLength];
                var cmasks = new bool[caps.Length];
                var vfeats = new float[rows * o.MaxVideoLength * dim];
                var vmasks = new bool[rows * o.MaxVideoLength];
                for (int v = 0; v < videos; v++)
                {
                    var video = corpus.Read(videoIds[at + v]);
                    ClipRowWriter.Write(video, sampler.Sample(video, random), o, caps, cmasks, vfeats, vmasks, v * o.ClipsPerVideo);
                }
                using var output = model.forward(
                    tensor(caps, new long[] { rows, o.TextLength }, device: device),
                    tensor(cmasks, new long[] { rows, o.TextLength }, device: device),
                    tensor(vfeats, new long[] { rows, o.MaxVideoLength, dim }, device: device).to(dtype),
                    tensor(vmasks, new long[] { rows, o.MaxVideoLength }, device: device));
                var pooled = output.Video.Pooled.add(output.Text.Pooled, Norton.Core.Scalars.One).mul_(Half).to(ScalarType.Float32);
                parts.Add(pooled.view(videos, o.ClipsPerVideo, -1).mean(new long[] { 1 }).MoveToOuterDisposeScope());
            }
            return cat(parts, 0).MoveToOuterDisposeScope();
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
