using Norton.Core;
using Norton.Core.Optimization;
using Norton.Losses;
using Norton.Models;
using Norton.Models.Bert;
using Norton.Models.VideoClip;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Stress;

/// <summary>
/// (c) <see cref="VideoTextModel"/> (a reduced config, train mode, dropout on, 8 clips = one long video) + <see cref="NortonLoss"/> + an
/// optimiser step: Norton's race-free <see cref="Adam"/>, or TorchSharp's Adam to reproduce the crash.
/// </summary>
internal sealed class ModelWorkload : IStressWorkload
{
    private const long Batch = 8, CaptionLength = 8, VideoLength = 8, InputDim = 32;

    /// <summary>Smaller than config A (one layer of width 16 per tower, 32-d video features): every op is kept.</summary>
    private static readonly VideoClipConfig Config = new(
        new BertConfig(1000, 16, 1, 2, 32, 40), new BertConfig(1000, 16, 1, 2, 32, 40), maxVideoLen: (int)VideoLength, inputDim: (int)InputDim);

    private readonly VideoTextModel _model;
    private readonly NortonLoss _loss = new(StressSettings.Loss);
    private readonly Adam? _adam;
    private readonly optim.Optimizer? _torchAdam;
    private readonly Tensor _caps, _cmasks, _vfeats, _vmasks;

    public ModelWorkload(bool torchAdam, int seed)
    {
        manual_seed(3000 + seed);
        _model = new VideoTextModel(Config);
        _model.train();
        var parameters = _model.parameters().Concat(_loss.parameters()).Where(p => p.requires_grad).ToList();
#pragma warning disable RS0030 // --optimizer torch reproduces the crash with TorchSharp's Adam (docs/thread-safety.md).
        if (torchAdam) _torchAdam = optim.Adam(parameters, lr: 1e-4);
#pragma warning restore RS0030
        else _adam = new Adam(parameters, new AdamOptions { LearningRate = 1e-4 });

        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)(3000 + seed));
        // [CLS] [SEP] w... [SEP] then padding, with 3..6 words per caption.
        var caps = new long[Batch * CaptionLength];
        var random = new Random(seed);
        for (int b = 0; b < Batch; b++)
        {
            int words = random.Next(3, (int)CaptionLength - 2);
            caps[b * CaptionLength] = 101;
            caps[b * CaptionLength + 1] = 102;
            for (int w = 0; w < words; w++) caps[b * CaptionLength + 2 + w] = random.Next(1000, 1000 + 500) % 1000;
            caps[b * CaptionLength + 2 + words] = 102;
        }
        _caps = tensor(caps).reshape(Batch, CaptionLength).MoveToOuterDisposeScope();
        _cmasks = _caps.ne(Scalars.ZeroInt64).MoveToOuterDisposeScope();
        _vfeats = randn([Batch, VideoLength, InputDim], generator: gen).MoveToOuterDisposeScope();
        _vmasks = ones([Batch, VideoLength], ScalarType.Bool).MoveToOuterDisposeScope();
    }

    public void Step()
    {
        using var encoded = _model.forward(_caps, _cmasks, _vfeats, _vmasks);
        var (video, text) = encoded.ToLossInputs();
        using var output = _loss.forward(video, text);
        output.Loss.backward();
        if (_adam is not null)
        {
            _adam.Step();
            _adam.ZeroGrad();
        }
        else
        {
            _torchAdam!.step();
            _torchAdam.zero_grad();
        }
    }

    public void Dispose()
    {
        _adam?.Dispose();
        _torchAdam?.Dispose();
        foreach (var t in new[] { _caps, _cmasks, _vfeats, _vmasks }) t.Dispose();
        _loss.Dispose();
        _model.Dispose();
    }
}
