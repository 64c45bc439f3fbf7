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
            throw new ArgumentException($"{name} must be (B, L); got shape {Shape(ids)}.", name);
        if (ids.dtype != ScalarType.Int64)
            throw new ArgumentException($"{name} must be int64 token ids; got {ids.dtype}.", name);
        if (ids.numel() == 0) return;
        long min, max;
        using (NewDisposeScope())
        {
            min = ids.min().item<long>();
            max = ids.max().item<long>();
        }
        if (min < 0 || max >= vocabSize)
            throw new ArgumentOutOfRangeException(name,
                $"{name} must lie in [0, {vocabSize}) (the vocabulary size); got values in [{min}, {max}].");
    }

    /// <summary>A bool or 0/1-integer mask with exactly the given shape.</summary>
    public static void Mask(Tensor mask, long[] shape, string name)
    {
        ArgumentNullException.ThrowIfNull(mask, name);
        if (!mask.shape.SequenceEqual(shape))
            throw new ArgumentException($"{name} must have shape {Shape(shape)}; got {Shape(mask)}.", name);
        if (mask.dtype != ScalarType.Bool && !IsIntegral(mask.dtype))
            throw new ArgumentException($"{name} must be bool (or 0/1 integers); got {mask.dtype}.", name);
    }

    /// <summary>(B, T, width) floating features.</summary>
    public static void Features(Tensor features, int width, string name)
    {
        ArgumentNullException.ThrowIfNull(features, name);
        if (features.dim() != 3)
            throw new ArgumentException($"{name} must be (B, T, {width}); got shape {Shape(features)}.", name);
        if (features.shape[2] != width)
            throw new ArgumentException($"{name} must have feature width {width}; got shape {Shape(features)}.", name);
        if (!features.is_floating_point())
            throw new ArgumentException($"{name} must be floating point; got {features.dtype}.", name);
    }

    /// <summary>Same number of rows.</summary>
    public static void SameBatch(Tensor a, string nameA, Tensor b, string nameB)
    {
        if (a.shape[0] != b.shape[0])
            throw new ArgumentException($"{nameB} must have the batch size of {nameA} ({a.shape[0]}); got {b.shape[0]}.", nameB);
    }

    public static string Shape(Tensor t) => Shape(t.shape);

    public static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";

    private static bool IsIntegral(ScalarType t) =>
        t is ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64;
}
