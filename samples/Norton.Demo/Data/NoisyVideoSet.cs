using static TorchSharp.torch;

namespace Norton.Demo.Data;

/// <summary>
/// Generated long videos with their noisy captions and the clean ground truth. Owns its tensors.
/// </summary>
/// <remarks>Video g's clip c and caption c are row <c>g * Clips + c</c> of <see cref="Frames"/> and <see cref="Words"/>
/// when flattened: the training pairs are (clip i, caption i), as a loader of narrated videos would give them.</remarks>
public sealed class NoisyVideoSet : IDisposable
{
    internal NoisyVideoSet(Tensor frames, Tensor words, Tensor backgroundFrames, Tensor fillerWords, int[] shifts, bool[,] irrelevant, int[,] truth, int[,] clipSteps)
    {
        Frames = frames;
        Words = words;
        BackgroundFrames = backgroundFrames;
        FillerWords = fillerWords;
        Shifts = shifts;
        Irrelevant = irrelevant;
        Truth = truth;
        ClipSteps = clipSteps;
    }

    /// <summary>(videos, clips, frames, 64) frame features, float32.</summary>
    public Tensor Frames { get; }

    /// <summary>(videos, clips, words, 64) word features, float32.</summary>
    public Tensor Words { get; }

    /// <summary>(videos, clips, frames) bool: the frame shows background, not the clip's step.</summary>
    public Tensor BackgroundFrames { get; }

    /// <summary>(videos, clips, words) bool: the word is filler.</summary>
    public Tensor FillerWords { get; }

    /// <summary>Per video, how far its captions are shifted: caption c describes clip c - shift (0 = in sync).</summary>
    public IReadOnlyList<int> Shifts { get; }

    /// <summary>[video, caption]: the caption describes nothing that happens in the long video.</summary>
    public bool[,] Irrelevant { get; }

    /// <summary>[video, caption]: the clip the caption truly describes, or -1 when it describes no clip of the video
    /// (irrelevant, or shifted past the video's ends).</summary>
    public int[,] Truth { get; }

    /// <summary>[video, clip]: which step of the vocabulary the clip shows.</summary>
    public int[,] ClipSteps { get; }

    /// <summary>Number of videos.</summary>
    public int Count => (int)Frames.shape[0];

    /// <summary>Clips per video.</summary>
    public int Clips => (int)Frames.shape[1];

    /// <summary>Number of (video, caption) pairs whose caption describes a clip of its video.</summary>
    public int AlignableCaptions => Truth.Cast<int>().Count(t => t >= 0);

    /// <inheritdoc />
    public void Dispose()
    {
        Frames.Dispose();
        Words.Dispose();
        BackgroundFrames.Dispose();
        FillerWords.Dispose();
    }
}
