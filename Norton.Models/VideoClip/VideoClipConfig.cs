using Norton.Core.Validation;
using Norton.Models.Bert;

namespace Norton.Models.VideoClip;

/// <summary>
/// Sizes of the two VideoCLIP/Norton towers (docs/original-model.md §1): the video tower's BERT (6 layers in the original), the text
/// tower's BERT (bert-base-uncased), the video-MLP input width and <c>max_video_len</c>. Validated at construction.
/// </summary>
public sealed record VideoClipConfig
{
    /// <summary>Creates a configuration.</summary>
    /// <param name="video">BERT sizes of the video tower (<c>video_encoder.bert</c>).</param>
    /// <param name="text">BERT sizes of the text tower (<c>text_encoder</c>).</param>
    /// <param name="maxVideoLen">Tv: video slots per clip; the video [SEP] always sits at position <c>maxVideoLen+1</c>.</param>
    /// <param name="inputDim">Width of one input feature (512 for S3D).</param>
    /// <param name="videoMlpLayerNormEps">Eps of the video MLP's LayerNorm: PyTorch's default 1e-5, not BERT's 1e-12.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the video position table cannot hold
    /// position <c>maxVideoLen+1</c>.</exception>
    public VideoClipConfig(BertConfig video, BertConfig text, int maxVideoLen, int inputDim = 512, double videoMlpLayerNormEps = 1e-5)
    {
        Video = Guard.NotNull(video, nameof(video));
        Text = Guard.NotNull(text, nameof(text));
        Guard.Positive(maxVideoLen, nameof(maxVideoLen));
        if (maxVideoLen + 2 > video.MaxPositionEmbeddings)
            throw Guard.OutOfRange(nameof(maxVideoLen), maxVideoLen,
                $"leave the video [SEP] (position maxVideoLen+1 = {maxVideoLen + 1}) a row of the video position table",
                $"that table has only {video.MaxPositionEmbeddings} rows");
        Guard.Positive(inputDim, nameof(inputDim));
        Guard.Positive(videoMlpLayerNormEps, nameof(videoMlpLayerNormEps));
        MaxVideoLen = maxVideoLen;
        InputDim = inputDim;
        VideoMlpLayerNormEps = videoMlpLayerNormEps;
    }

    /// <summary>
    /// The original sizes: a 6-layer BERT-base video tower and the 12-layer bert-base-uncased text tower
    /// (177,423,360 parameters). <paramref name="maxVideoLen"/> does not change any weight: 16 in Norton's
    /// post-training (<c>how2_pretrain</c>), 32 in VideoCLIP and in most zero-shot evaluations.
    /// </summary>
    public static VideoClipConfig Full(int maxVideoLen = 16) =>
        new(BertConfig.BertBaseUncased.WithLayers(6), BertConfig.BertBaseUncased, maxVideoLen);

    /// <summary>BERT sizes of the video tower.</summary>
    public BertConfig Video { get; }

    /// <summary>BERT sizes of the text tower.</summary>
    public BertConfig Text { get; }

    /// <summary>Tv: the number of video slots a clip is padded to.</summary>
    public int MaxVideoLen { get; }

    /// <summary>Width of one input video feature.</summary>
    public int InputDim { get; }

    /// <summary>Eps of the video MLP's LayerNorm.</summary>
    public double VideoMlpLayerNormEps { get; }
}
