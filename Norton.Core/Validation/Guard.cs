using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core.Validation;

/// <summary>
/// The one argument-check helper of the Norton libraries. Internal: this file is compiled into every library package
/// (Norton.Core owns it; Directory.Build.targets links it into the others, Norton.Losses uses Norton.Core's through
/// InternalsVisibleTo), so it is no part of any public API.
/// </summary>
/// <remarks>
/// One wording for every failed check: <c>"{name} must {expected}, but {actual}."</c>, naming the argument, what was
/// expected and what came. Exception types: <see cref="ArgumentException"/> for shapes, dtypes, devices and contents;
/// <see cref="ArgumentOutOfRangeException"/> for numbers out of range; <see cref="ArgumentNullException"/> for nulls;
/// <see cref="FileNotFoundException"/> / <see cref="DirectoryNotFoundException"/> for missing paths. The parameter
/// name is <c>name</c> unless a separate <c>paramName</c> is given (a path such as <c>video.Pooled</c> in the message,
/// the method's parameter in <see cref="ArgumentException.ParamName"/>).
/// </remarks>
internal static class Guard
{
    /// <summary>The one wording: <c>"{name} must {expected}, but {actual}."</c>.</summary>
    internal static string Message(string name, string expected, string actual) => $"{name} must {expected}, but {actual}.";

    /// <summary>An <see cref="ArgumentException"/> in the one wording, to <c>throw</c> from checks that fit no helper.</summary>
    internal static ArgumentException Argument(string name, string expected, string actual, string? paramName = null) =>
        new(Message(name, expected, actual), paramName ?? name);

    /// <summary>An <see cref="ArgumentOutOfRangeException"/> in the one wording (the actual value is appended by .NET).</summary>
    internal static ArgumentOutOfRangeException OutOfRange(string name, object? value, string expected, string? actual = null, string? paramName = null) =>
        new(paramName ?? name, value, Message(name, expected, actual ?? $"is {Format(value)}"));

    /// <summary>Formats a shape as <c>[2, 3, 4]</c>.</summary>
    internal static string Shape(Tensor t) => Shape(t.shape);

    /// <summary>Formats a shape as <c>[2, 3, 4]</c>.</summary>
    internal static string Shape(ReadOnlySpan<long> shape)
    {
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++) parts[i] = shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>True when both tensors live on the same device (type and index).</summary>
    internal static bool SameDevice(Tensor a, Tensor b) => a.device_type == b.device_type && a.device_index == b.device_index;

    /// <summary>Throws <see cref="ArgumentNullException"/> when <paramref name="value"/> is null.</summary>
    internal static T NotNull<T>(T? value, string name) where T : class =>
        value ?? throw new ArgumentNullException(name, Message(name, "not be null", "is null"));

    /// <summary>Throws unless <paramref name="value"/> is neither null nor empty nor white space.</summary>
    internal static string NotEmpty(string? value, string name)
    {
        if (value is null) throw new ArgumentNullException(name, Message(name, "be a non-empty string", "is null"));
        if (string.IsNullOrWhiteSpace(value)) throw Argument(name, "be a non-empty string", value.Length == 0 ? "is empty" : "is white space");
        return value;
    }

    /// <summary>Throws unless the collection is non-null and has at least one element.</summary>
    internal static IReadOnlyCollection<T> NotEmpty<T>(IReadOnlyCollection<T>? value, string name)
    {
        if (value is null) throw new ArgumentNullException(name, Message(name, "hold at least one element", "is null"));
        if (value.Count == 0) throw Argument(name, "hold at least one element", "is empty");
        return value;
    }

    /// <summary>Throws <see cref="FileNotFoundException"/> unless <paramref name="path"/> names an existing file.</summary>
    /// <param name="path">The path.</param>
    /// <param name="what">What the file is, for the message (<c>"checkpoint file"</c>).</param>
    internal static string FileExists(string path, string what)
    {
        NotEmpty(path, nameof(path));
        if (!File.Exists(path)) throw new FileNotFoundException(Message(what, "exist", $"'{path}' was not found"), path);
        return path;
    }

    /// <summary>Throws <see cref="DirectoryNotFoundException"/> unless <paramref name="path"/> names an existing folder.</summary>
    internal static string DirectoryExists(string path, string what)
    {
        NotEmpty(path, nameof(path));
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException(Message(what, "exist", $"'{path}' was not found"));
        return path;
    }

    /// <summary>Throws unless <paramref name="t"/> has one of the given ranks.</summary>
    internal static void Rank(Tensor t, string name, params int[] ranks)
    {
        if (!ranks.Contains((int)t.dim()))
            throw Argument(name, $"have rank {string.Join(" or ", ranks)}", $"has shape {Shape(t)} (rank {t.dim()})");
    }

    /// <summary>Throws unless the shape of <paramref name="t"/> equals <paramref name="expected"/>.</summary>
    internal static void ShapeIs(Tensor t, string name, params long[] expected)
    {
        if (!t.shape.SequenceEqual(expected))
            throw Argument(name, $"have shape {Shape(expected)}", $"has shape {Shape(t)}");
    }

    /// <summary>Throws unless <paramref name="t"/> has dtype <paramref name="expected"/>.</summary>
    internal static void DType(Tensor t, ScalarType expected, string name)
    {
        if (t.dtype != expected) throw Argument(name, $"have dtype {expected}", $"has dtype {t.dtype}");
    }

    /// <summary>Throws unless <paramref name="t"/> is a floating-point tensor.</summary>
    internal static void FloatingPoint(Tensor t, string name)
    {
        if (!t.is_floating_point()) throw Argument(name, "be a floating-point tensor", $"has dtype {t.dtype}");
    }

    /// <summary>Throws if <paramref name="t"/> holds a NaN or an infinity, naming the first offending index (reads the
    /// tensor on the host: not for hot paths).</summary>
    internal static void Finite(Tensor t, string name)
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
        throw Argument(name, "be finite", $"holds {value} at [{string.Join(", ", index)}] (shape {Shape(t)})");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and strictly positive.</summary>
    internal static double Positive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0) throw OutOfRange(name, value, "be a finite number > 0");
        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> is strictly positive.</summary>
    internal static long Positive(long value, string name)
    {
        if (value <= 0) throw OutOfRange(name, value, "be > 0");
        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and not negative.</summary>
    internal static double NonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0) throw OutOfRange(name, value, "be a finite number >= 0");
        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> is finite (not NaN, not infinite).</summary>
    internal static double Finite(double value, string name)
    {
        if (!double.IsFinite(value)) throw OutOfRange(name, value, "be a finite number");
        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> is at least <paramref name="min"/>.</summary>
    internal static long AtLeast(long value, long min, string name)
    {
        if (value < min) throw OutOfRange(name, value, $"be >= {min}");
        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> is at least <paramref name="min"/> and not NaN.</summary>
    internal static double AtLeast(double value, double min, string name)
    {
        if (double.IsNaN(value) || value < min) throw OutOfRange(name, value, $"be >= {Format(min)}");
        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> lies in [lo, hi] and is not NaN.</summary>
    internal static double InRange(double value, double lo, double hi, string name)
    {
        if (double.IsNaN(value) || value < lo || value > hi) throw OutOfRange(name, value, $"lie in [{Format(lo)}, {Format(hi)}]");
        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> lies in [lo, hi].</summary>
    internal static long InRange(long value, long lo, long hi, string name)
    {
        if (value < lo || value > hi) throw OutOfRange(name, value, $"lie in [{lo}, {hi}]");
        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> is a named member of its enum.</summary>
    internal static T Defined<T>(T value, string name) where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw OutOfRange(name, value, $"be a {typeof(T).Name} value", $"is {Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)}");
        return value;
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
