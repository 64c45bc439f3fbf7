using Norton.Training.Batching;
using static TorchSharp.torch;

namespace Norton.Training;

/// <summary>A <see cref="TrainingBatch"/> as the model's four inputs, on the training device. Owns its tensors.</summary>
internal sealed class BatchTensors : IDisposable
{
    private BatchTensors(Tensor caps, Tensor cmasks, Tensor vfeats, Tensor vmasks)
    {
        Caps = caps;
        CapsMask = cmasks;
        VideoFeatures = vfeats;
        VideoMask = vmasks;
    }

    /// <summary>(rows, TextLength) int64.</summary>
    public Tensor Caps { get; }

    /// <summary>(rows, TextLength) bool.</summary>
    public Tensor CapsMask { get; }

    /// <summary>(rows, VideoLength, FeatureDim) in the towers' dtype.</summary>
    public Tensor VideoFeatures { get; }

    /// <summary>(rows, VideoLength) bool.</summary>
    public Tensor VideoMask { get; }

    /// <summary>Copies <paramref name="batch"/> to <paramref name="device"/>, features as <paramref name="featureType"/>.</summary>
    /// <exception cref="ArgumentException">The arrays do not match the batch's declared sizes, or the feature width
    /// differs from the model's.</exception>
    public static BatchTensors From(TrainingBatch batch, int modelFeatureDim, Device device, ScalarType featureType)
    {
        ArgumentNullException.ThrowIfNull(batch);
        long rows = batch.Rows;
        if (batch.FeatureDim != modelFeatureDim)
            throw new ArgumentException(
                $"the corpus has {batch.FeatureDim}-wide video features but the model's video tower takes {modelFeatureDim}-wide ones.", nameof(batch));
        Expect(batch.Caps.LongLength, rows * batch.TextLength, "Caps");
        Expect(batch.CapsMask.LongLength, rows * batch.TextLength, "CapsMask");
        Expect(batch.VideoFeatures.LongLength, rows * batch.VideoLength * batch.FeatureDim, "VideoFeatures");
        Expect(batch.VideoMask.LongLength, rows * batch.VideoLength, "VideoMask");
        using var scope = NewDisposeScope();
        var caps = tensor(batch.Caps, [rows, batch.TextLength]).to(device);
        var cmasks = tensor(batch.CapsMask, [rows, batch.TextLength]).to(device);
        var vfeats = tensor(batch.VideoFeatures, [rows, batch.VideoLength, batch.FeatureDim]).to(featureType, device);
        var vmasks = tensor(batch.VideoMask, [rows, batch.VideoLength]).to(device);
        return new BatchTensors(caps.MoveToOuterDisposeScope(), cmasks.MoveToOuterDisposeScope(),
            vfeats.MoveToOuterDisposeScope(), vmasks.MoveToOuterDisposeScope());
    }

    private static void Expect(long actual, long expected, string name)
    {
        if (actual != expected)
            throw new ArgumentException($"TrainingBatch.{name} holds {actual} values but the batch's sizes call for {expected}.", "batch");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Caps.Dispose();
        CapsMask.Dispose();
        VideoFeatures.Dispose();
        VideoMask.Dispose();
    }
}
