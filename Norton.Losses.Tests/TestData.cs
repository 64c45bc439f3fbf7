using Norton.Core.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Losses.Tests;

/// <summary>Seeded random inputs and mask layouts for the tests.</summary>
public static class TestData
{
    public enum MaskLayout { Full, Prefix, Scattered, Model }

    /// <summary>(n, slots) bool mask with at least one valid slot per row.</summary>
    public static Tensor Mask(Generator gen, long n, long slots, MaskLayout layout)
    {
        switch (layout)
        {
            case MaskLayout.Full:
                return ones(n, slots, dtype: ScalarType.Bool);
            case MaskLayout.Prefix:
            {
                var len = randint(1, slots + 1, [n, 1], generator: gen);
                return arange(slots).unsqueeze(0) < len;
            }
            case MaskLayout.Scattered:
            {
                var m = rand([n, slots], generator: gen) < 0.6;
                var first = randint(0, slots, [n], generator: gen);
                return m.index_put_(tensor(true), arange(n), first);
            }
            default:
            {
                // Norton's model layout: slot 0 masked ([CLS]), a valid prefix, the last slot valid ([SEP]).
                var len = randint(1, slots, [n, 1], generator: gen);
                var idx = arange(slots).unsqueeze(0);
                return (idx >= 1).logical_and(idx <= len).logical_or(idx == slots - 1);
            }
        }
    }

    public static Tensor Features(Generator gen, ScalarType dtype, params long[] shape) =>
        randn(shape, dtype: ScalarType.Float64, generator: gen).to(dtype);

    /// <summary>A small, valid batch (model mask layout) as loss inputs, optionally requiring gradients.</summary>
    public static (VideoFeatures Video, TextFeatures Text) Batch(long n = 8, long d = 6, long t = 5, long v = 4,
        ScalarType dtype = ScalarType.Float64, int seed = 1, bool requiresGrad = false, MaskLayout layout = MaskLayout.Model)
    {
        var gen = new Generator().manual_seed(seed);
        Tensor F(params long[] shape) => Features(gen, dtype, shape).requires_grad_(requiresGrad);
        var pv = F(n, d);
        var pt = F(n, d);
        var vo = F(n, v, d);
        var to = F(n, t, d);
        return (new VideoFeatures(pv, vo, Mask(gen, n, v, layout)), new TextFeatures(pt, to, Mask(gen, n, t, layout)));
    }
}
