using Norton.Core.Validation;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Models.S3D;

/// <summary>
/// TensorFlow-style "SAME" max pooling of S3D (<c>MaxPool3dTFPadding</c> in s3dg.py): zero-pad
/// <c>max(k − s, 0)</c> per dimension, <c>total / 2</c> before and the rest <em>after</em>, then
/// <c>MaxPool3d(k, s, ceil_mode: true)</c>.
/// </summary>
/// <remarks>
/// Zero padding is only equivalent to TF's −∞ padding because the inputs come after a ReLU (≥ 0).
/// The original builds the pad list in (H, W, T) order and hands it to an API that reads (W, H, T); this class keeps
/// that order so that a non-square kernel would behave as the original does (the S3D kernels are square, so it is
/// harmless there).
/// </remarks>
public sealed class MaxPool3dTfPadding : nn.Module<Tensor, Tensor>
{
    private readonly long[] _kernel;
    private readonly long[] _stride;
    private readonly long[] _pad;

    /// <summary>Creates the pool.</summary>
    /// <param name="kernelSize">Kernel (T, H, W).</param>
    /// <param name="stride">Stride (T, H, W).</param>
    public MaxPool3dTfPadding((long T, long H, long W) kernelSize, (long T, long H, long W) stride)
        : base(nameof(MaxPool3dTfPadding))
    {
        _kernel = new[] { kernelSize.T, kernelSize.H, kernelSize.W };
        _stride = new[] { stride.T, stride.H, stride.W };
        if (_kernel.Any(k => k < 1) || _stride.Any(s => s < 1))
            throw new ArgumentOutOfRangeException(nameof(kernelSize), Guard.Message("kernelSize and stride", "be >= 1",
                $"are kernel ({string.Join(",", _kernel)}) and stride ({string.Join(",", _stride)})"));
        var pads = new List<long>();
        for (int d = 0; d < 3; d++)
        {
            long along = Math.Max(_kernel[d] - _stride[d], 0);
            pads.Add(along / 2);            // before
            pads.Add(along - along / 2);    // after: TF puts the odd element at the end
        }
        // Original quirk: move the temporal pair to the end, giving (H, W, T) pairs for a (W, H, T)-ordered pad.
        _pad = new[] { pads[2], pads[3], pads[4], pads[5], pads[0], pads[1] };
        PaddingShape = _pad.ToArray();
        RegisterComponents();
    }

    /// <summary>The six pad amounts handed to <c>pad</c> (innermost dimension pair first), as in the original.</summary>
    public IReadOnlyList<long> PaddingShape { get; }

    /// <summary>Pools (N, C, T, H, W).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var padded = nn.functional.pad(input, _pad, PaddingModes.Constant, 0.0);
        return nn.functional.max_pool3d(padded, _kernel, _stride, ceil_mode: true).MoveToOuterDisposeScope();
    }
}
