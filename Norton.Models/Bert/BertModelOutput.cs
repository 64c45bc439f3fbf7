using static TorchSharp.torch;

namespace Norton.Models.Bert;

/// <summary>
/// What a BERT encoder returns (HF <c>BaseModelOutputWithPooling</c>). The caller owns the tensors (they live in the
/// caller's dispose scope); <see cref="Dispose"/> frees them all at once.
/// </summary>
/// <param name="LastHiddenState">(B, L, D) output of the last layer.</param>
/// <param name="PoolerOutput">(B, D) <c>tanh(dense(h[:, 0]))</c>; unused by Norton.</param>
/// <param name="HiddenStates">When requested: the embedding output followed by every layer's output (index i =
/// layer i, 1-based, as in HF's <c>hidden_states</c> tuple); otherwise empty.</param>
public sealed record BertModelOutput(Tensor LastHiddenState, Tensor PoolerOutput, IReadOnlyList<Tensor> HiddenStates) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        LastHiddenState.Dispose();
        PoolerOutput.Dispose();
        foreach (var h in HiddenStates) h.Dispose();
    }
}
