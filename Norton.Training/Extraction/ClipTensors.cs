using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Training.Extraction;

/// <summary>Turns decoded one-second clips into S3D's input: (N, 3, T, S, S) float32, rgb / 255, no mean/std.</summary>
internal static class ClipTensors
{
    private static readonly Scalar Max = 255.0.ToScalar();

    /// <summary>Stacks <paramref name="clips"/> (each T x S x S x 3 bytes, zero-padded past its frames) on <paramref name="device"/>.</summary>
    public static Tensor FromClips(IReadOnlyList<byte[]> clips, FramePreprocessing preprocessing, Device device)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.Count == 0) throw new ArgumentException("no clips to stack", nameof(clips));
        int clipBytes = preprocessing.ChunkBytes;
        var bytes = new byte[(long)clips.Count * clipBytes];
        for (int i = 0; i < clips.Count; i++)
        {
            if (clips[i].Length != clipBytes)
                throw new ArgumentException($"clip {i} has {clips[i].Length} bytes, expected {clipBytes}", nameof(clips));
            Buffer.BlockCopy(clips[i], 0, bytes, i * clipBytes, clipBytes);
        }
        using var scope = NewDisposeScope();
        int size = preprocessing.FrameSize;
        // uint8 travels to the device (a quarter of float32's bytes); the division happens there.
        var raw = tensor(bytes, new long[] { clips.Count, preprocessing.Fps, size, size, 3 }, ScalarType.Byte).to(device);
        var clipsTensor = raw.permute(0, 4, 1, 2, 3).to(ScalarType.Float32).div(Max).contiguous();
        return clipsTensor.MoveToOuterDisposeScope();
    }
}
