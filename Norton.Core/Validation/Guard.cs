using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core.Validation;

/// <summary>
/// Throw helpers shared by the Norton packages: every message names the argument, what was expected and what came.
/// </summary>
public static class Guard
{
    /// <summary>Formats a shape as <c>[2, 3, 4]</c>.</summary>
    public static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";

    /// <summary>Throws unless <paramref name="t"/> has one of the given ranks.</summary>
    public static void Rank(Tensor t, string name, params int[] ranks)
    {
        if (!ranks.Contains((int)t.dim()))
            throw new ArgumentException(
                $"{name} must have rank {string.Join(" or ", ranks)}, but has shape {Shape(t)} (rank {t.dim()}).", name);
    }

    /// <summary>Throws unless <paramref name="t"/> is a floating-point tensor.</summary>
    public static void FloatingPoint(Tensor t, string name)
    {
        if (!t.is_floating_point())
            throw new ArgumentException($"{name} must be a floating-point tensor, but has dtype {t.dtype}.", name);
    }

    /// <summary>Throws if <paramref name="t"/> holds a NaN or an infinity, naming the first offending index.</summary>
    public static void Finite(Tensor t, string name)
    {
        using var scope = NewDisposeScope();
        var bad = t.isfinite().logical_not();
        if (!bad.any().item<bool>()) return;
        long flat = bad.flatten().nonzero()[0, 0].item<long>();
        var index = new long[t.dim()];
        for (int d = (int)t.dim() - 1; d >= 0; d--)
        {
            index[d] = flat % t.shape[d];
            flat /= t.shape[d];
        }
        double value = t[index.Select(i => TensorIndex.Single(i)).ToArray()].to(float64).item<double>();
        throw new ArgumentException(
            $"{name} must be finite, but holds {value} at [{string.Join(", ", index)}] (shape {Shape(t)}).", name);
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and strictly positive.</summary>
    public static void Positive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0, but is {value}.");
    }

    /// <summary>Throws unless <paramref name="value"/> is at least <paramref name="min"/>.</summary>
    public static void AtLeast(long value, long min, string name)
    {
        if (value < min)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= {min}, but is {value}.");
    }

    /// <summary>Throws unless <paramref name="value"/> lies in [lo, hi] and is not NaN.</summary>
    public static void InRange(double value, double lo, double hi, string name)
    {
        if (double.IsNaN(value) || value < lo || value > hi)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [{lo}, {hi}], but is {value}.");
    }

    /// <summary>Throws unless the shape of <paramref name="t"/> equals <paramref name="expected"/>.</summary>
    public static void ShapeIs(Tensor t, string name, params long[] expected)
    {
        if (!t.shape.SequenceEqual(expected))
            throw new ArgumentException(
                $"{name} must have shape [{string.Join(", ", expected)}], but has shape {Shape(t)}.", name);
    }
}
