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
}
