using System.Globalization;
using FFMpegCore;
using FFMpegCore.Enums;
using FFMpegCore.Pipes;

namespace Norton.Training.Extraction;

/// <summary>
/// Decodes a video file with the system's ffmpeg (through FFMpegCore) into one-second clips of rgb24 frames, with the
/// original extractor's filter chain (<see cref="FramePreprocessing"/>). Produces bytes only: it runs on the decoding
/// thread, where no TorchSharp object may be made.
/// </summary>
internal static class VideoFrameDecoder
{
    /// <summary>Width and height of the first video stream, as ffprobe reports them (what the original scales from).</summary>
    /// <exception cref="VideoDecodeException">ffprobe cannot read the file, or it has no video stream.</exception>
    public static (int Width, int Height) Probe(string path)
    {
        IMediaAnalysis analysis;
        try
        {
            analysis = FFProbe.Analyse(path);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new VideoDecodeException(path, "ffprobe cannot read it: " + FirstLine(e.Message), e);
        }
        var stream = analysis.PrimaryVideoStream
            ?? throw new VideoDecodeException(path, "it has no video stream");
        if (stream.Width is not int width || stream.Height is not int height || width < 1 || height < 1)
            throw new VideoDecodeException(path, $"its video stream has no valid size ({stream.Width}x{stream.Height})");
        return (width, height);
    }

    /// <summary>
    /// Decodes <paramref name="path"/> and hands each one-second clip to <paramref name="onChunk"/> as a fresh buffer of
    /// <see cref="FramePreprocessing.ChunkBytes"/> bytes (frames x height x width x rgb) with the number of frames it
    /// holds; the last clip's missing frames are left zero (the original's zero padding). Returns the frame count.
    /// </summary>
    /// <exception cref="VideoDecodeException">The file cannot be probed or decoded, or yields no frame.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    public static int Decode(string path, FramePreprocessing preprocessing, Action<byte[], int> onChunk, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        ArgumentNullException.ThrowIfNull(onChunk);
        if (!File.Exists(path)) throw new VideoDecodeException(path, "the file does not exist");
        var (width, height) = Probe(path);
        string filters = preprocessing.FilterChain(width, height);

        int frames = 0;
        Exception? readError = null;
        var sink = new StreamPipeSink(async (stream, _) =>
        {
            try
            {
                // Not FFMpegCore's token: it is cancelled as soon as ffmpeg exits, while the last frames may still wait
                // in the pipe (onChunk blocks when the embedder is behind); the pipe's end of file ends the reading.
                frames = await ReadChunksAsync(stream, preprocessing, onChunk, cancellation).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                readError = e;   // kept: FFMpegCore would report it only as a broken pipe
                throw;
            }
        });
        FFMpegResult result;
        try
        {
            result = FFMpegArguments
                .FromFileInput(path, verifyExists: true, _ => { })
                .OutputToPipe(sink, o => o
                    .WithCustomArgument("-vf " + filters)
                    .ForceFormat("rawvideo")
                    .WithCustomArgument("-pix_fmt rgb24"))
                .WithLogLevel(FFMpegLogLevel.Error)
                .ProcessSynchronously(throwOnError: false, ffOptions: null, cancellationToken: cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException && readError is null)
        {
            throw new VideoDecodeException(path, "ffmpeg failed: " + FirstLine(e.Message), e);
        }
        cancellation.ThrowIfCancellationRequested();
        if (readError is OperationCanceledException) throw readError;
        if (readError is not null) throw new VideoDecodeException(path, "reading ffmpeg's frames failed: " + readError.Message, readError);
        if (!result.Success)
        {
            string detail = string.Join(" ", result.StandardError.Where(l => !string.IsNullOrWhiteSpace(l)).Take(3));
            throw new VideoDecodeException(path, string.Create(CultureInfo.InvariantCulture,
                $"ffmpeg exited with code {result.ExitCode}: {(detail.Length > 0 ? detail : "no message")}"));
        }
        if (frames == 0) throw new VideoDecodeException(path, "ffmpeg decoded no frame");
        return frames;
    }

    private static async Task<int> ReadChunksAsync(Stream stream, FramePreprocessing preprocessing, Action<byte[], int> onChunk, CancellationToken token)
    {
        int frames = 0;
        while (true)
        {
            var chunk = new byte[preprocessing.ChunkBytes];
            int filled = 0;
            while (filled < chunk.Length)
            {
                int read = await stream.ReadAsync(chunk.AsMemory(filled), token).ConfigureAwait(false);
                if (read == 0) break;
                filled += read;
            }
            if (filled % preprocessing.FrameBytes != 0)
                throw new InvalidDataException($"ffmpeg's output ends inside a frame ({filled % preprocessing.FrameBytes} of {preprocessing.FrameBytes} bytes)");
            int chunkFrames = filled / preprocessing.FrameBytes;
            if (chunkFrames > 0)
            {
                frames += chunkFrames;
                onChunk(chunk, chunkFrames);
            }
            if (filled < chunk.Length) return frames;
        }
    }

    private static string FirstLine(string message)
    {
        string line = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? message;
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
