using Norton.Core.Validation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Models.S3D;

/// <summary>
/// S3D-G's feature gating (<c>SelfGating</c> in s3dg.py): every channel is rescaled by a sigmoid weight computed from
/// the clip's spatio-temporal channel means, <c>x · sigmoid(fc(mean_{T,H,W} x))[:, :, None, None, None]</c>.
/// </summary>
public sealed class SelfGating : nn.Module<Tensor, Tensor>
{
    // Field name = the original attribute name, so the key is "<prefix>.fc.{weight,bias}".
    private readonly Linear fc;

    /// <summary>Creates the gate for <paramref name="inputDim"/> channels.</summary>
    /// <param name="inputDim">Channel count C of the (N, C, T, H, W) maps it gates.</param>
    /// <param name="device">Where the parameters live (<c>torch.META</c> builds the structure without storage).</param>
    /// <param name="dtype">The parameters' dtype (null: TorchSharp's default, float32), as in TorchSharp's own modules.</param>
    public SelfGating(long inputDim, Device? device = null, ScalarType? dtype = null) : base(nameof(SelfGating))
    {
        Guard.Positive(inputDim, nameof(inputDim));
        InputDim = inputDim;
        fc = nn.Linear(inputDim, inputDim, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Channel count C.</summary>
    public long InputDim { get; }

    /// <summary>Gates <paramref name="input"/> (N, C, T, H, W); returns a new tensor of the same shape.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var average = input.mean(new long[] { 2, 3, 4 });                 // (N, C)
        var weights = fc.forward(average).sigmoid();                       // (N, C)
        return (weights[.., .., TensorIndex.None, TensorIndex.None, TensorIndex.None] * input).MoveToOuterDisposeScope();
    }
}
