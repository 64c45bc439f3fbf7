using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Demo.Training;

/// <summary>The video and the text encoder of one training run.</summary>
internal sealed class DualEncoder : nn.Module
{
#pragma warning disable IDE1006 // named like PyTorch attributes
    private readonly TokenEncoder video;
    private readonly TokenEncoder text;
#pragma warning restore IDE1006

    /// <summary>Input size, hidden size and embedding size of both encoders (the benchmark's 64-64-32).</summary>
    public const int Input = 64, Hidden = 64, Embedding = 32;

    /// <summary>Creates both encoders from torch's global generator, after seeding it with <paramref name="seed"/>,
    /// so that two runs with the same seed start from the same weights.</summary>
    public DualEncoder(int seed) : base(nameof(DualEncoder))
    {
        torch.manual_seed(seed);
        video = new TokenEncoder(nameof(video), Input, Hidden, Embedding);
        text = new TokenEncoder(nameof(text), Input, Hidden, Embedding);
        RegisterComponents();
    }

    /// <summary>Encodes (N, F, 64) frames.</summary>
    public (Tensor Pooled, Tensor Tokens) EncodeVideo(Tensor frames) => video.forward(frames);

    /// <summary>Encodes (N, T, 64) words.</summary>
    public (Tensor Pooled, Tensor Tokens) EncodeText(Tensor words) => text.forward(words);
}
