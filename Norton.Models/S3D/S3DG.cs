using Norton.Core.Validation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Models.S3D;

/// <summary>
/// The S3D-G video network of the HowTo100M/MIL-NCE feature extractor (<c>S3D(dict, 512, gating=True,
/// space_to_depth=True)</c> in s3dg.py), which makes Norton's per-second video features. Input (N, 3, T, H, W) with
/// values in [0, 1] (RGB/255, no mean/std normalisation) and even T, H, W; the extractor feeds (N, 3, 30, 224, 224).
/// </summary>
/// <remarks>
/// Parameter paths equal the original state-dict keys (<c>conv1.conv1.weight</c>, <c>mixed_3b.conv_b1_b.bn2.running_mean</c>,
/// <c>fc.weight</c>, …), so the original weights load by name, e.g. with TorchSharp.PyBridge's
/// <c>load_py(path, strict: false)</c>. The sentence encoder <c>text_module.*</c> is only part of the module when one is
/// passed to the constructor. Quirks kept from the original: the space-to-depth channel order, the crop of the first
/// T, H and W index after <c>conv1</c>, TF-SAME zero padding after the data with <c>ceil_mode</c> pooling, and the stem
/// gating, which is always applied. Call <c>eval()</c> before inference: BatchNorm must use its running statistics.
/// </remarks>
public sealed class S3DG : nn.Module<Tensor, S3DOutput>
{
    /// <summary>The stage names of <see cref="S3DOutput.Stages"/>, in network order.</summary>
    public static readonly IReadOnlyList<string> StageNames = new[]
    {
        "s2d", "conv1", "conv1_cropped", "maxpool_2a", "conv_2b", "conv_2c", "gating", "maxpool_3a",
        "mixed_3b", "mixed_3c", "maxpool_4a", "mixed_4b", "mixed_4c", "mixed_4d", "mixed_4e", "mixed_4f",
        "maxpool_5a", "mixed_5b", "mixed_5c",
    };

    // Field names = the original attribute names (state-dict keys).
    private readonly STConv3d conv1;
    private readonly STConv3d conv_2b;
    private readonly STConv3d conv_2c;
    private readonly SelfGating gating;
    private readonly MaxPool3dTfPadding maxpool_2a;
    private readonly MaxPool3dTfPadding maxpool_3a;
    private readonly InceptionBlock mixed_3b;
    private readonly InceptionBlock mixed_3c;
    private readonly MaxPool3dTfPadding maxpool_4a;
    private readonly InceptionBlock mixed_4b;
    private readonly InceptionBlock mixed_4c;
    private readonly InceptionBlock mixed_4d;
    private readonly InceptionBlock mixed_4e;
    private readonly InceptionBlock mixed_4f;
    private readonly MaxPool3dTfPadding maxpool_5a;
    private readonly InceptionBlock mixed_5b;
    private readonly InceptionBlock mixed_5c;
    private readonly Linear fc;
    private readonly SentenceEmbedding? text_module;

    /// <summary>Creates the network with PyTorch's default initialisation (load weights afterwards).</summary>
    /// <param name="numClasses">Width of <c>video_embedding</c> (512 in the released model).</param>
    /// <param name="textModule">
    /// Optional sentence encoder registered as <c>text_module</c>, so that the state dict has every key of the original
    /// checkpoint; leave it out for video-only use (it holds a 66250×300 word table).
    /// </param>
    /// <param name="device">Where the parameters live (<c>torch.META</c> builds the structure without storage).</param>
    /// <param name="dtype">The parameters' dtype (null: TorchSharp's default, float32), as in TorchSharp's own modules.</param>
    public S3DG(long numClasses = 512, SentenceEmbedding? textModule = null, Device? device = null, ScalarType? dtype = null) : base(nameof(S3DG))
    {
        Guard.Positive(numClasses, nameof(numClasses));
        conv1 = new STConv3d(24, 64, (2, 4, 4), stride: (1, 1, 1), padding: (1, 2, 2), device: device, dtype: dtype);
        conv_2b = new STConv3d(64, 64, (1, 1, 1), device: device, dtype: dtype);
        conv_2c = new STConv3d(64, 192, (3, 3, 3), padding: (1, 1, 1), separable: true, device: device, dtype: dtype);
        gating = new SelfGating(192, device, dtype);
        maxpool_2a = new MaxPool3dTfPadding((1, 3, 3), (1, 2, 2));
        maxpool_3a = new MaxPool3dTfPadding((1, 3, 3), (1, 2, 2));
        mixed_3b = new InceptionBlock(192, 64, 96, 128, 16, 32, 32, device: device, dtype: dtype);
        mixed_3c = new InceptionBlock(mixed_3b.OutputDim, 128, 128, 192, 32, 96, 64, device: device, dtype: dtype);
        maxpool_4a = new MaxPool3dTfPadding((3, 3, 3), (2, 2, 2));
        mixed_4b = new InceptionBlock(mixed_3c.OutputDim, 192, 96, 208, 16, 48, 64, device: device, dtype: dtype);
        mixed_4c = new InceptionBlock(mixed_4b.OutputDim, 160, 112, 224, 24, 64, 64, device: device, dtype: dtype);
        mixed_4d = new InceptionBlock(mixed_4c.OutputDim, 128, 128, 256, 24, 64, 64, device: device, dtype: dtype);
        mixed_4e = new InceptionBlock(mixed_4d.OutputDim, 112, 144, 288, 32, 64, 64, device: device, dtype: dtype);
        mixed_4f = new InceptionBlock(mixed_4e.OutputDim, 256, 160, 320, 32, 128, 128, device: device, dtype: dtype);
        maxpool_5a = new MaxPool3dTfPadding((2, 2, 2), (2, 2, 2));
        mixed_5b = new InceptionBlock(mixed_4f.OutputDim, 256, 160, 320, 32, 128, 128, device: device, dtype: dtype);
        mixed_5c = new InceptionBlock(mixed_5b.OutputDim, 384, 192, 384, 48, 128, 128, device: device, dtype: dtype);
        fc = nn.Linear(mixed_5c.OutputDim, numClasses, device: device, dtype: dtype);
        text_module = textModule;
        NumClasses = numClasses;
        RegisterComponents();
    }

    /// <summary>Width of <see cref="S3DOutput.VideoEmbedding"/>.</summary>
    public long NumClasses { get; }

    /// <summary>Width of <see cref="S3DOutput.Mixed5c"/> (1024).</summary>
    public long Mixed5cDim => mixed_5c.OutputDim;

    /// <summary>The sentence encoder registered as <c>text_module</c>, or null.</summary>
    public SentenceEmbedding? TextModule => text_module;

    /// <summary>Embeds a batch of clips.</summary>
    /// <param name="input">(N, 3, T, H, W) in [0, 1], N ≥ 1, T, H, W even and ≥ 2, the dtype of the weights.</param>
    /// <exception cref="ArgumentException">Wrong rank, channel count, odd or zero T/H/W, or a dtype or device unlike the weights'.</exception>
    public override S3DOutput forward(Tensor input) => forward(input, diagnostics: false);

    /// <summary>Embeds a batch of clips and, if asked, keeps every stage's output map.</summary>
    /// <param name="input">(N, 3, T, H, W) in [0, 1], N ≥ 1, T, H, W even and ≥ 2, the dtype of the weights.</param>
    /// <param name="diagnostics">Keep the map of each of <see cref="StageNames"/> in <see cref="S3DOutput.Stages"/> (costs memory).</param>
    /// <exception cref="ArgumentException">Wrong rank, channel count, odd or zero T/H/W, or a dtype or device unlike the weights'.</exception>
    public S3DOutput forward(Tensor input, bool diagnostics)
    {
        ValidateInput(input);
        using var scope = NewDisposeScope();
        var stages = diagnostics ? new Dictionary<string, Tensor>() : null;
        Tensor Keep(string name, Tensor map)
        {
            stages?.Add(name, map);
            return map;
        }

        var net = Keep("s2d", SpaceToDepth.Apply(input));
        net = Keep("conv1", conv1.forward(net));
        // conv1 pads (1,2,2) on both sides; dropping the first index of T, H and W leaves TF's SAME (pad-after) result.
        net = Keep("conv1_cropped", net[.., .., 1.., 1.., 1..]);
        net = Keep("maxpool_2a", maxpool_2a.forward(net));
        net = Keep("conv_2b", conv_2b.forward(net));
        net = Keep("conv_2c", conv_2c.forward(net));
        net = Keep("gating", gating.forward(net));
        net = Keep("maxpool_3a", maxpool_3a.forward(net));
        net = Keep("mixed_3b", mixed_3b.forward(net));
        net = Keep("mixed_3c", mixed_3c.forward(net));
        net = Keep("maxpool_4a", maxpool_4a.forward(net));
        net = Keep("mixed_4b", mixed_4b.forward(net));
        net = Keep("mixed_4c", mixed_4c.forward(net));
        net = Keep("mixed_4d", mixed_4d.forward(net));
        net = Keep("mixed_4e", mixed_4e.forward(net));
        net = Keep("mixed_4f", mixed_4f.forward(net));
        net = Keep("maxpool_5a", maxpool_5a.forward(net));
        net = Keep("mixed_5b", mixed_5b.forward(net));
        net = Keep("mixed_5c", mixed_5c.forward(net));
        var pooled = net.mean(new long[] { 2, 3, 4 });                          // (N, 1024)
        var embedding = fc.forward(pooled);                                      // (N, numClasses)
        return new S3DOutput(embedding, pooled, stages).MoveToOuterDisposeScope();
    }

    private void ValidateInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string shape = Guard.Shape(input);
        if (input.dim() != 5)
            throw Guard.Argument(nameof(input), "be a rank-5 (N, 3, T, H, W) video tensor", $"has shape {shape}");
        if (input.shape[1] != 3)
            throw Guard.Argument(nameof(input), "have 3 (RGB) channels in dimension 1 of (N, 3, T, H, W)", $"has shape {shape}");
        if (input.shape[0] < 1)
            throw Guard.Argument(nameof(input), "hold at least one clip (N >= 1)", $"has shape {shape}");
        for (int d = 2; d < 5; d++)
        {
            long size = input.shape[d];
            if (size < 2 || size % 2 != 0)
                throw Guard.Argument(nameof(input), "have T, H and W even and >= 2 (S3D's 2x2x2 space-to-depth)",
                    $"has shape {shape} (dimension {"THW"[d - 2]} = {size})");
        }
        var weightType = fc.weight!.dtype;
        if (input.dtype != weightType)
            throw Guard.Argument(nameof(input), $"have the weights' dtype ({weightType})", $"has {input.dtype}");
        var weightDevice = fc.weight!.device;
        if (input.device.type != weightDevice.type || input.device.index != weightDevice.index)
            throw Guard.Argument(nameof(input), $"be on the weights' device ({weightDevice})", $"is on {input.device}");
    }
}
