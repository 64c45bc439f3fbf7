using Norton.Core.Validation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Models.S3D;

/// <summary>
/// S3D's convolution unit (<c>STConv3D</c> in s3dg.py): Conv3d without bias, BatchNorm3d (PyTorch defaults, eps 1e-5,
/// momentum 0.1), ReLU. The <em>separable</em> form factorises a k×k×k kernel into a spatial (1,k,k) conv
/// (<c>conv1</c>/<c>bn1</c>) followed by a temporal (k,1,1) conv (<c>conv2</c>/<c>bn2</c>), each with its own BN and ReLU.
/// </summary>
public sealed class STConv3d : nn.Module<Tensor, Tensor>
{
    // Field names = the original attribute names (state-dict keys "<prefix>.conv1.weight", "<prefix>.bn1.*", ...).
    private readonly Conv3d conv1;
    private readonly BatchNorm3d bn1;
    private readonly Conv3d? conv2;
    private readonly BatchNorm3d? bn2;

    /// <summary>Creates the unit.</summary>
    /// <param name="inputDim">Input channels.</param>
    /// <param name="outputDim">Output channels (of both convs in the separable form).</param>
    /// <param name="kernelSize">Kernel (T, H, W). The separable form needs a cubic kernel k×k×k.</param>
    /// <param name="stride">Stride (T, H, W); the separable form splits it as (1,s,s) then (s,1,1).</param>
    /// <param name="padding">Zero padding (T, H, W); the separable form splits it as (0,p,p) then (p,0,0).</param>
    /// <param name="separable">Factorise the kernel into spatial then temporal convs.</param>
    /// <param name="device">Where the parameters live (<c>torch.META</c> builds the structure without storage).</param>
    /// <param name="dtype">The parameters' dtype (null: TorchSharp's default, float32), as in TorchSharp's own modules.</param>
    public STConv3d(long inputDim, long outputDim, (long T, long H, long W) kernelSize,
        (long T, long H, long W)? stride = null, (long T, long H, long W)? padding = null, bool separable = false,
        Device? device = null, ScalarType? dtype = null)
        : base(nameof(STConv3d))
    {
        Guard.Positive(inputDim, nameof(inputDim));
        Guard.Positive(outputDim, nameof(outputDim));
        var s = stride ?? (1, 1, 1);
        var p = padding ?? (0, 0, 0);
        Separable = separable;
        if (separable)
        {
            // The original only factorises kernels whose temporal size differs from 1 and treats H and W alike.
            if (kernelSize.T == 1 || kernelSize.H != kernelSize.W)
                throw Guard.Argument(nameof(kernelSize), "be k×k×k with k > 1 in the separable form", $"is ({kernelSize.T},{kernelSize.H},{kernelSize.W})");
            conv1 = nn.Conv3d(inputDim, outputDim, (1, kernelSize.H, kernelSize.W), stride: (1, s.H, s.W), padding: (0, p.H, p.W), bias: false, device: device, dtype: dtype);
            bn1 = nn.BatchNorm3d(outputDim, device: device, dtype: dtype);
            conv2 = nn.Conv3d(outputDim, outputDim, (kernelSize.T, 1, 1), stride: (s.T, 1, 1), padding: (p.T, 0, 0), bias: false, device: device, dtype: dtype);
            bn2 = nn.BatchNorm3d(outputDim, device: device, dtype: dtype);
        }
        else
        {
            conv1 = nn.Conv3d(inputDim, outputDim, kernelSize, stride: s, padding: p, bias: false, device: device, dtype: dtype);
            bn1 = nn.BatchNorm3d(outputDim, device: device, dtype: dtype);
        }
        RegisterComponents();
    }

    /// <summary>True for the factorised spatial-then-temporal form.</summary>
    public bool Separable { get; }

    /// <summary>Applies the unit to (N, C, T, H, W).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        // In-place ReLU as in the original (nn.ReLU(inplace=True)): BN's backward does not need its output.
        var output = bn1.forward(conv1.forward(input)).relu_();
        if (conv2 is not null && bn2 is not null)
            output = bn2.forward(conv2.forward(output)).relu_();
        return output.MoveToOuterDisposeScope();
    }
}
