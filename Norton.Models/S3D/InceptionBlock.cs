using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Models.S3D;

/// <summary>
/// S3D-G's Inception block (<c>InceptionBlock</c> in s3dg.py): four branches, each followed by its own
/// <see cref="SelfGating"/>, concatenated on channels in the order [b0, b1, b2, b3].
/// <list type="bullet">
/// <item>b0: 1×1×1 conv;</item>
/// <item>b1, b2: 1×1×1 conv, then a separable 3×3×3 conv (padding 1);</item>
/// <item>b3: MaxPool3d(3, stride 1, padding 1) with PyTorch's implicit −∞ padding, then a 1×1×1 conv.</item>
/// </list>
/// </summary>
public sealed class InceptionBlock : nn.Module<Tensor, Tensor>
{
    // Field names = the original attribute names (state-dict keys).
    private readonly STConv3d conv_b0;
    private readonly STConv3d conv_b1_a;
    private readonly STConv3d conv_b1_b;
    private readonly STConv3d conv_b2_a;
    private readonly STConv3d conv_b2_b;
    private readonly STConv3d conv_b3_b;
    private readonly SelfGating gating_b0;
    private readonly SelfGating gating_b1;
    private readonly SelfGating gating_b2;
    private readonly SelfGating gating_b3;

    /// <summary>Creates the block; the argument names follow the original's <c>num_outputs_*</c>.</summary>
    /// <param name="inputDim">Input channels.</param>
    /// <param name="outputs0a">b0 channels.</param>
    /// <param name="outputs1a">b1 bottleneck channels.</param>
    /// <param name="outputs1b">b1 output channels.</param>
    /// <param name="outputs2a">b2 bottleneck channels.</param>
    /// <param name="outputs2b">b2 output channels.</param>
    /// <param name="outputs3b">b3 output channels.</param>
    /// <param name="device">Where the parameters live (<c>torch.META</c> builds the structure without storage).</param>
    /// <param name="dtype">The parameters' dtype (null: TorchSharp's default, float32), as in TorchSharp's own modules.</param>
    public InceptionBlock(long inputDim, long outputs0a, long outputs1a, long outputs1b, long outputs2a, long outputs2b, long outputs3b,
        Device? device = null, ScalarType? dtype = null)
        : base(nameof(InceptionBlock))
    {
        conv_b0 = new STConv3d(inputDim, outputs0a, (1, 1, 1), device: device, dtype: dtype);
        conv_b1_a = new STConv3d(inputDim, outputs1a, (1, 1, 1), device: device, dtype: dtype);
        conv_b1_b = new STConv3d(outputs1a, outputs1b, (3, 3, 3), padding: (1, 1, 1), separable: true, device: device, dtype: dtype);
        conv_b2_a = new STConv3d(inputDim, outputs2a, (1, 1, 1), device: device, dtype: dtype);
        conv_b2_b = new STConv3d(outputs2a, outputs2b, (3, 3, 3), padding: (1, 1, 1), separable: true, device: device, dtype: dtype);
        conv_b3_b = new STConv3d(inputDim, outputs3b, (1, 1, 1), device: device, dtype: dtype);
        gating_b0 = new SelfGating(outputs0a, device, dtype);
        gating_b1 = new SelfGating(outputs1b, device, dtype);
        gating_b2 = new SelfGating(outputs2b, device, dtype);
        gating_b3 = new SelfGating(outputs3b, device, dtype);
        OutputDim = outputs0a + outputs1b + outputs2b + outputs3b;
        RegisterComponents();
    }

    /// <summary>Output channels: the sum of the four branch widths.</summary>
    public long OutputDim { get; }

    /// <summary>Applies the block to (N, C, T, H, W); T, H and W are kept.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var b0 = gating_b0.forward(conv_b0.forward(input));
        var b1 = gating_b1.forward(conv_b1_b.forward(conv_b1_a.forward(input)));
        var b2 = gating_b2.forward(conv_b2_b.forward(conv_b2_a.forward(input)));
        var pooled = nn.functional.max_pool3d(input, new long[] { 3, 3, 3 }, new long[] { 1, 1, 1 }, new long[] { 1, 1, 1 });
        var b3 = gating_b3.forward(conv_b3_b.forward(pooled));
        return cat(new[] { b0, b1, b2, b3 }, 1).MoveToOuterDisposeScope();
    }
}
