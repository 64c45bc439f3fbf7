using System.Globalization;

namespace Norton.Training.Extraction;

/// <summary>
/// The original feature extractor's frame preprocessing: resample to <see cref="Fps"/> frames per second, scale so
/// that the shorter side is <see cref="FrameSize"/> (the longer one <c>int(long * size / short)</c>), centre-crop
/// <see cref="FrameSize"/> x <see cref="FrameSize"/> at <c>(int((w - size) / 2), int((h - size) / 2))</c>, rgb24.
/// One second of frames (<see cref="Fps"/> of them) is one S3D clip, so one feature row per second.
/// </summary>
/// <remarks>The released features use 30 fps and 224 pixels (<see cref="Original"/>); tests use smaller values.</remarks>
internal sealed record FramePreprocessing
{
    /// <summary>30 fps, 224 x 224: what the released S3D features were made with.</summary>
    public static FramePreprocessing Original { get; } = new(30, 224);

    /// <param name="fps">Frames per second after resampling = frames per clip; even (S3D's space-to-depth).</param>
    /// <param name="frameSize">Side of the square crop in pixels; even.</param>
    public FramePreprocessing(int fps, int frameSize)
    {
        if (fps < 2 || fps % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "fps is the S3D clip length and must be even and >= 2");
        if (frameSize < 2 || frameSize % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(frameSize), frameSize, "the frame size must be even and >= 2");
        Fps = fps;
        FrameSize = frameSize;
    }

    /// <summary>Frames per second after resampling, and frames per one-second clip.</summary>
    public int Fps { get; }

    /// <summary>Side of the square frames.</summary>
    public int FrameSize { get; }

    /// <summary>Bytes of one rgb24 frame.</summary>
    public int FrameBytes => FrameSize * FrameSize * 3;

    /// <summary>Bytes of one one-second clip.</summary>
    public int ChunkBytes => FrameBytes * Fps;

    /// <summary>The scaled size of a <paramref name="width"/> x <paramref name="height"/> video (the original's <c>_get_output_dim</c>).</summary>
    public (int Width, int Height) ScaledSize(int width, int height)
    {
        if (width < 1 || height < 1)
            throw new ArgumentException($"a video size must be positive, but got {width}x{height}");
        // Python's int(h * size / w) truncates a float quotient; long arithmetic gives the same for positive sizes.
        return height >= width
            ? (FrameSize, (int)((long)height * FrameSize / width))
            : ((int)((long)width * FrameSize / height), FrameSize);
    }

    /// <summary>The ffmpeg filter chain for a video of this size: <c>fps=F,scale=W:H,crop=S:S:X:Y</c>.</summary>
    public string FilterChain(int width, int height)
    {
        var (w, h) = ScaledSize(width, height);
        int x = (w - FrameSize) / 2, y = (h - FrameSize) / 2;
        return string.Create(CultureInfo.InvariantCulture,
            $"fps={Fps},scale={w}:{h},crop={FrameSize}:{FrameSize}:{x}:{y}");
    }
}
