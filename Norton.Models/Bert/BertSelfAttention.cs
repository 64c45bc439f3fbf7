using Norton.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Models.Bert;

/// <summary>
/// Multi-head scaled dot-product self-attention (HF <c>BertSelfAttention</c>): scores
/// <c>q·kᵀ/√head_size + bias</c>, softmax over keys, dropout, weighted sum of values.
/// </summary>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the PyTorch attribute names, so state dicts load by name
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Dropout dropout;
#pragma warning restore IDE1006
    private readonly int _heads;
    private readonly int _headSize;

    /// <summary>Builds the q/k/v projections (D→D each).</summary>
    public BertSelfAttention(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertSelfAttention))
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.NumAttentionHeads;
        _headSize = config.AttentionHeadSize;
        query = nn.Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        key = nn.Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        value = nn.Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        dropout = nn.Dropout(config.AttentionProbsDropoutProb);
        RegisterComponents();
    }

    /// <summary>Attends every position to every key.</summary>
    /// <param name="hiddenStates">(B, L, D).</param>
    /// <param name="extendedAttentionMask">Additive key bias broadcastable to (B, heads, L, L), usually (B, 1, 1, L):
    /// 0 on keys to attend, −10000 on masked keys (see <see cref="AttentionMask.Extend"/>).</param>
    /// <returns>Context (B, L, D).</returns>
    public override Tensor forward(Tensor hiddenStates, Tensor extendedAttentionMask)
    {
        using var scope = NewDisposeScope();
        long b = hiddenStates.shape[0], l = hiddenStates.shape[1];
        var q = SplitHeads(query.forward(hiddenStates), b, l);
        var k = SplitHeads(key.forward(hiddenStates), b, l);
        var v = SplitHeads(value.forward(hiddenStates), b, l);
        // HF order: matmul, then divide by √head_size, then add the mask.
        using var scale = Math.Sqrt(_headSize).ToScalar();
        var scores = matmul(q, k.transpose(-1, -2)).div(scale);
        scores = scores.add(extendedAttentionMask, Scalars.One);
        var probs = dropout.forward(nn.functional.softmax(scores, -1));
        var context = matmul(probs, v).permute(0, 2, 1, 3).contiguous();
        return context.view(b, l, (long)_heads * _headSize).MoveToOuterDisposeScope();
    }

    // (B, L, D) → (B, heads, L, head_size)
    private Tensor SplitHeads(Tensor x, long b, long l) => x.view(b, l, _heads, _headSize).permute(0, 2, 1, 3);
}
