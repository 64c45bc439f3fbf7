using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Demo.Training;

/// <summary>
/// A per-token encoder: the same two-layer MLP (input, hidden, ReLU, output) on every frame or word, then the mean
/// over the tokens. Returns the pooled feature and the token features (the loss's fine-grained branch reads both).
/// </summary>
/// <remarks>A linear encoder would not do here: it cannot memorise noisy pairs, so InfoNCE and Norton end up alike.</remarks>
internal sealed class TokenEncoder : nn.Module<Tensor, (Tensor Pooled, Tensor Tokens)>
{
#pragma warning disable IDE1006 // named like a PyTorch attribute
    private readonly Sequential net;
#pragma warning restore IDE1006

    /// <summary>Creates the encoder with torch's default initialisation (global generator: seed it first).</summary>
    public TokenEncoder(string name, int input, int hidden, int output) : base(name)
    {
        net = nn.Sequential(nn.Linear(input, hidden), nn.ReLU(), nn.Linear(hidden, output));
        RegisterComponents();
    }

    /// <summary>(N, T, input) tokens to ((N, output) pooled, (N, T, output) tokens).</summary>
    public override (Tensor Pooled, Tensor Tokens) forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var encoded = net.forward(tokens);
        var pooled = encoded.mean([1L]);
        return (pooled.MoveToOuterDisposeScope(), encoded.MoveToOuterDisposeScope());
    }
}
