using Norton.Core.Validation;
using static TorchSharp.torch;

namespace Norton.Models.Bert;

/// <summary>Argument checks shared by the encoders: every message names the argument, what was expected and what came.</summary>
internal static class InputChecks
{
    /// <summary>(B, L) int64 ids, each in [0, <paramref name="vocabSize"/>).</summary>
    public static void TokenIds(Tensor ids, int vocabSize, string name)
    {
        ArgumentNullException.ThrowIfNull(ids, name);
        if (ids.dim() != 2)
            throw Guard.Argument(name, "be (B, L)", $"has shape {Shape(ids)}");
        if (ids.dtype != ScalarType.Int64)
            throw Guard.Argument(name, "be int64 token ids", $"has dtype {ids.dtype}");
        if (ids.numel() == 0) return;
        long min, max;
        using (NewDisposeScope())
        {
            min = ids.min().item<long>();
            max = ids.max().item<long>();
        }
        if (min < 0 || max >= vocabSize)
            throw new ArgumentOutOfRangeException(name,
                Guard.Message(name, $"lie in [0, {vocabSize}) (the vocabulary size)", $"holds values in [{min}, {max}]"));
    }

    /// <summary>A bool or 0/1-integer mask with exactly the given shape.</summary>
    public static void Mask(Tensor mask, long[] shape, string name)
    {
        ArgumentNullException.ThrowIfNull(mask, name);
        if (!mask.shape.SequenceEqual(shape))
            throw Guard.Argument(name, $"have shape {Shape(shape)}", $"has shape {Shape(mask)}");
        if (mask.dtype != ScalarType.Bool && !IsIntegral(mask.dtype))
            throw Guard.Argument(name, "be bool (or 0/1 integers)", $"has dtype {mask.dtype}");
    }

    /// <summary>(B, T, width) floating features.</summary>
    public static void Features(Tensor features, int width, string name)
    {
        ArgumentNullException.ThrowIfNull(features, name);
        if (features.dim() != 3)
            throw Guard.Argument(name, $"be (B, T, {width})", $"has shape {Shape(features)}");
        if (features.shape[2] != width)
            throw Guard.Argument(name, $"have feature width {width}", $"has shape {Shape(features)}");
        Guard.FloatingPoint(features, name);
    }

    /// <summary>Same number of rows.</summary>
    public static void SameBatch(Tensor a, string nameA, Tensor b, string nameB)
    {
        if (a.shape[0] != b.shape[0])
            throw Guard.Argument(nameB, $"have the batch size of {nameA} ({a.shape[0]})", $"has {b.shape[0]}");
    }

    public static string Shape(Tensor t) => Guard.Shape(t);

    public static string Shape(long[] shape) => Guard.Shape(shape);

    private static bool IsIntegral(ScalarType t) =>
        t is ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64;
}
