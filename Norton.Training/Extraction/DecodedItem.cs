namespace Norton.Training.Extraction;

/// <summary>
/// What the decoding thread hands to the network thread: a one-second clip of rgb24 bytes, or the end of a video
/// (with its frame count, or why it failed). Bytes only, so that no TorchSharp object crosses threads.
/// </summary>
internal sealed record DecodedItem(int Video, byte[]? Pixels, int Frames, bool IsEnd, string? Error)
{
    public static DecodedItem Clip(int video, byte[] pixels, int frames) => new(video, pixels, frames, false, null);

    public static DecodedItem End(int video, int frames, string? error) => new(video, null, frames, true, error);
}
