using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Models.VideoClip;

/// <summary>The towers' pooling (docs/original-model.md §1.2–1.3): the mean of the token outputs where the output mask is true.</summary>
public static class MaskedMeanPooling
{
    /// <summary>
    /// <c>bmm(tokensᵀ, (m / Σm)[…, None])</c>, the original order of operations.
    /// </summary>
    /// <param name="tokens">(B, L, D).</param>
    /// <param name="mask">(B, L) bool; every row needs at least one true entry.</param>
    /// <returns>(B, D) in the dtype of <paramref name="tokens"/>.</returns>
    /// <remarks>Callers guarantee a non-empty mask per row (the video mask always holds [SEP]; the text tower checks
    /// its input), so no division by zero happens here.</remarks>
    public static Tensor Pool(Tensor tokens, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var m = mask.to(tokens.dtype);
        var weights = m / m.sum(1, keepdim: true);
        return bmm(tokens.transpose(1, 2), weights.unsqueeze(-1)).squeeze(-1).MoveToOuterDisposeScope();
    }
}
