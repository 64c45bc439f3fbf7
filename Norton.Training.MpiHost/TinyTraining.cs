using Norton.Losses;
using Norton.Models;
using Norton.Models.Bert;
using Norton.Models.VideoClip;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Training.MpiHost;

/// <summary>
/// A tiny VideoTextModel trained with NortonLoss (2 clips per video, 4 clips per batch), deterministic batches, and a
/// plain momentum SGD written with static Scalars. Shared by the MPI host and the tests' single-process reference.
/// </summary>
public static class TinyTraining
{
    public const int ClipsPerBatch = 4;
    public const int TextSlots = 7;
    public const int VideoSlots = 4;
    public const int FeatureDim = 8;

    private static readonly Scalar One = 1.0.ToScalar();
    private static readonly Scalar Momentum = 0.9.ToScalar();
    private static readonly Scalar NegativeLearningRate = (-0.05).ToScalar();

    public static VideoClipConfig Config { get; } = new(
        new BertConfig(40, 16, 1, 2, 32, 16), new BertConfig(40, 16, 1, 2, 32, 16), maxVideoLen: VideoSlots, inputDim: FeatureDim);

    /// <summary>The paper's loss with 2 clips per video (so a 4-clip batch holds 2 videos).</summary>
    public static NortonLoss NewLoss() => new(new NortonLossOptions { Length = 2 });

    /// <summary>A model with weights drawn from <paramref name="seed"/>, in eval mode (no dropout, so ranks agree).</summary>
    public static VideoTextModel NewModel(long seed)
    {
        torch.set_num_threads(1);
        torch.manual_seed(seed);
        var model = new VideoTextModel(Config);
        model.eval();
        return model;
    }

    /// <summary>Batch <paramref name="index"/> of the synthetic corpus: [CLS] [SEP] words [SEP] [PAD]… captions and
    /// random features with 1 to 4 valid seconds.</summary>
    public static (Tensor Caps, Tensor CapsMask, Tensor Features, Tensor FeatureMask) Batch(long index)
    {
        var random = new Random((int)(index * 7919 + 17));
        var caps = new long[ClipsPerBatch * TextSlots];
        var capsMask = new bool[ClipsPerBatch * TextSlots];
        var features = new float[ClipsPerBatch * VideoSlots * FeatureDim];
        var featureMask = new bool[ClipsPerBatch * VideoSlots];
        for (int row = 0; row < ClipsPerBatch; row++)
        {
            int words = random.Next(1, TextSlots - 2);
            caps[row * TextSlots] = 1; caps[row * TextSlots + 1] = 2;
            for (int w = 0; w < words; w++) caps[row * TextSlots + 2 + w] = random.Next(3, 40);
            caps[row * TextSlots + 2 + words] = 2;
            for (int k = 0; k < words + 3; k++) capsMask[row * TextSlots + k] = true;
            int seconds = random.Next(1, VideoSlots + 1);
            for (int s = 0; s < seconds; s++) featureMask[row * VideoSlots + s] = true;
            for (int f = 0; f < VideoSlots * FeatureDim; f++) features[row * VideoSlots * FeatureDim + f] = (float)(random.NextDouble() * 2 - 1);
        }
        return (tensor(caps, [ClipsPerBatch, TextSlots]), tensor(capsMask, [ClipsPerBatch, TextSlots]),
            tensor(features, [ClipsPerBatch, VideoSlots, FeatureDim]), tensor(featureMask, [ClipsPerBatch, VideoSlots]));
    }

    /// <summary>Forward and backward of batch <paramref name="index"/>; gradients accumulate into the parameters.</summary>
    public static double Backward(VideoTextModel model, NortonLoss loss, long index)
    {
        using var scope = NewDisposeScope();
        var (caps, capsMask, features, featureMask) = Batch(index);
        using var output = model.forward(caps, capsMask, features, featureMask);
        var (video, text) = output.ToLossInputs();
        using var result = loss.forward(video, text);
        result.Loss.backward();
        return result.Loss.to(ScalarType.Float64).item<double>();
    }

    /// <summary>Momentum SGD: v = 0.9·v + g, p = p − 0.05·v, for every parameter that has a gradient; then clears
    /// the gradients.</summary>
    public static void Step(VideoTextModel model, IReadOnlyList<Tensor> velocity)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var parameters = Trained(model);
        for (int k = 0; k < parameters.Count; k++)
        {
            var grad = parameters[k].grad;
            if (grad is null) continue;
            velocity[k].mul_(Momentum).add_(grad, One);
            parameters[k].add_(velocity[k], NegativeLearningRate);
            grad.zero_();
        }
    }

    /// <summary>Zero velocities, one per trained parameter.</summary>
    public static List<Tensor> NewVelocity(VideoTextModel model) =>
        Trained(model).Select(p => zeros_like(p).DetachFromDisposeScope()).ToList();

    /// <summary>The trained parameters (all of them: full fine-tuning of the tiny model).</summary>
    public static IReadOnlyList<Parameter> Trained(VideoTextModel model) =>
        model.parameters().Where(p => p.requires_grad).ToList();

    /// <summary>Every parameter, flattened and concatenated in named_parameters order.</summary>
    public static float[] Flatten(VideoTextModel model)
    {
        using var scope = NewDisposeScope();
        return cat(model.parameters().Select(p => p.detach().reshape(-1)).ToArray()).data<float>().ToArray();
    }

    /// <summary>Every trained parameter's gradient flattened (zeros where there is none).</summary>
    public static float[] FlattenGradients(VideoTextModel model)
    {
        using var scope = NewDisposeScope();
        return cat(Trained(model).Select(p => p.grad is Tensor g ? g.reshape(-1) : zeros(p.numel())).ToArray()).data<float>().ToArray();
    }
}
