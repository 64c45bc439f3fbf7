using Norton.Models.Bert;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Models.VideoClip;

/// <summary>
/// Maps each S3D feature to a video token (original <c>VideoTokenMLP</c>):
/// <c>linear1</c> (input→D) → erf-GELU → <c>LayerNorm</c> (eps 1e-5) → <c>linear2</c> (D→D).
/// </summary>
public sealed class VideoTokenMLP : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the PyTorch attribute names, so state dicts load by name
    private readonly Linear linear1;
    private readonly Float32LayerNorm LayerNorm;
    private readonly Linear linear2;
#pragma warning restore IDE1006

    /// <summary>Builds the MLP.</summary>
    /// <param name="inputDim">Feature width (512 for S3D).</param>
    /// <param name="hiddenSize">D.</param>
    /// <param name="layerNormEps">1e-5 in the original (PyTorch's default LayerNorm).</param>
    /// <param name="device">Where the weights live.</param>
    /// <param name="dtype">The parameters' dtype (null: TorchSharp's default, float32), as in TorchSharp's own modules.</param>
    public VideoTokenMLP(int inputDim, int hiddenSize, double layerNormEps, Device? device = null, ScalarType? dtype = null) : base(nameof(VideoTokenMLP))
    {
        InputDim = inputDim;
        linear1 = nn.Linear(inputDim, hiddenSize, device: device, dtype: dtype);
        LayerNorm = new Float32LayerNorm(hiddenSize, layerNormEps, device, dtype);
        linear2 = nn.Linear(hiddenSize, hiddenSize, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>The expected feature width.</summary>
    public int InputDim { get; }

    /// <summary>(B, T, input) → (B, T, D).</summary>
    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.gelu(linear1.forward(features));
        h = LayerNorm.forward(h);
        return linear2.forward(h).MoveToOuterDisposeScope();
    }
}
