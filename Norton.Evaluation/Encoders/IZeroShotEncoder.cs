using static TorchSharp.torch;

namespace Norton.Evaluation.Encoders;

/// <summary>
/// The two towers as the zero-shot runners use them: pooled text vectors, and pooled video vectors with the
/// per-slot video tokens. <see cref="VideoTextModelEncoder"/> wraps the Norton model; tests plug in encoders whose
/// right answers are known.
/// </summary>
public interface IZeroShotEncoder
{
    /// <summary>The feature width D the video tower takes.</summary>
    int InputDim { get; }

    /// <summary>Pooled text vectors (N, H), float32 on the CPU, for captions in the aligner layout.</summary>
    /// <param name="caps">(N, Lc) int64 <c>[CLS] [SEP] w… [SEP] [PAD]…</c>.</param>
    /// <param name="cmasks">(N, Lc) bool.</param>
    Tensor EncodeText(Tensor caps, Tensor cmasks);

    /// <summary>Pooled video vectors (N, H) and the last layer's tokens (N, Tv+2, H), float32 on the CPU.</summary>
    /// <param name="vfeats">(N, Tv, D) float32.</param>
    /// <param name="vmasks">(N, Tv) bool.</param>
    /// <param name="caps">(N, ≥ 2): the video tower reads <c>caps[:, :2]</c> ([CLS], [SEP]).</param>
    /// <param name="cmasks">(N, ≥ 2): <c>[1, 1]</c> with a caption, <c>[0, 1]</c> with the dummy caption.</param>
    (Tensor Pooled, Tensor Tokens) EncodeVideo(Tensor vfeats, Tensor vmasks, Tensor caps, Tensor cmasks);
}
