using Norton.Models.VideoClip;
using Norton.Training;

namespace Norton.Benchmarks;

/// <summary>Model sizes and a synthetic corpus for the training-step commands (16 clips per video, S3D width).</summary>
public static class StepInputs
{
    /// <summary>Clips per video, as in the paper's config.</summary>
    public const int ClipsPerVideo = 16;

    /// <summary>"full" (the paper's towers) or "reduced" (the parity fixtures' config A, 512-wide input).</summary>
    public static VideoClipConfig Model(string size) => size == "full" ? VideoClipConfig.Full(16) : Reduced;

    /// <summary>Config A of the parity fixtures: vocab 1000, hidden 64, 2 layers, 4 heads, FFN 128, 40 positions, 8 video slots.</summary>
    private static VideoClipConfig Reduced { get; } = new(
        new Norton.Models.Bert.BertConfig(1000, 64, 2, 4, 128, 40), new Norton.Models.Bert.BertConfig(1000, 64, 2, 4, 128, 40), maxVideoLen: 8);

    /// <summary>A corpus with batches of <paramref name="clips"/> rows (a multiple of 16) at the config's lengths.</summary>
    public static SyntheticTrainingData Data(long clips, VideoClipConfig model)
    {
        if (clips % ClipsPerVideo != 0)
            throw new ArgumentException($"--clips must be a multiple of {ClipsPerVideo} (clips per video); got {clips}.");
        int videos = (int)(clips / ClipsPerVideo);
        int text = Math.Min(32, model.Text.MaxPositionEmbeddings);
        return new SyntheticTrainingData(videos * 4, 0, videos, ClipsPerVideo, text, model.MaxVideoLen, model.InputDim);
    }
}
