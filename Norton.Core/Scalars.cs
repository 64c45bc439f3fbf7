using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core;

/// <summary>
/// Cached TorchSharp <see cref="Scalar"/>s that live for the whole process, for code that must not create a temporary
/// Scalar (docs/thread-safety.md): TorchSharp 0.107 lets the garbage collector finalize a temporary Scalar while the
/// native op that reads it still runs, which aborts the process when another thread allocates meanwhile.
/// </summary>
/// <remarks>
/// <para>Replacements for the operators and overloads the build bans (diagnostic RS0030):
/// <c>a + b</c> → <c>a.add(b, Scalars.One)</c>; <c>a - b</c> → <c>a.sub(b)</c> (tensor minus tensor creates no Scalar);
/// <c>t * 0.5</c> → <c>t.mul(Scalars.Half)</c> or a <c>static readonly Scalar</c> field of your own;
/// <c>1 - t</c> → <c>t.neg().add(Scalars.One, Scalars.One)</c> (or <c>t.rsub(Scalars.One)</c>);
/// <c>masked_fill(m, 0.0)</c> → <c>masked_fill(m, Scalars.Zero)</c>; <c>arange(n)</c> → <see cref="Arange"/>.
/// A value known only at run time goes in a <c>using var s = value.ToScalar();</c> declared before the call, so it
/// outlives it.</para>
/// <para>Never dispose these instances: they are shared by every thread.</para>
/// </remarks>
public static class Scalars
{
    /// <summary>0.0 (double).</summary>
    public static readonly Scalar Zero = 0.0.ToScalar();

    /// <summary>1.0 (double): the alpha of <c>add(t, Scalars.One)</c>, which <c>a + b</c> passes implicitly.</summary>
    public static readonly Scalar One = 1.0.ToScalar();

    /// <summary>-1.0 (double).</summary>
    public static readonly Scalar MinusOne = (-1.0).ToScalar();

    /// <summary>2.0 (double).</summary>
    public static readonly Scalar Two = 2.0.ToScalar();

    /// <summary>0.5 (double).</summary>
    public static readonly Scalar Half = 0.5.ToScalar();

    /// <summary>-∞ (double), for masking logits.</summary>
    public static readonly Scalar NegativeInfinity = double.NegativeInfinity.ToScalar();

    /// <summary>+∞ (double).</summary>
    public static readonly Scalar PositiveInfinity = double.PositiveInfinity.ToScalar();

    /// <summary>0 (long), for integer tensors.</summary>
    public static readonly Scalar ZeroInt64 = 0L.ToScalar();

    /// <summary>1 (long): the alpha for adding integer tensors (a double alpha is rejected for them).</summary>
    public static readonly Scalar OneInt64 = 1L.ToScalar();

    /// <summary><c>true</c>, for boolean tensors.</summary>
    public static readonly Scalar True = true.ToScalar();

    /// <summary><c>false</c>, for boolean tensors.</summary>
    public static readonly Scalar False = false.ToScalar();

    /// <summary>
    /// <c>torch.arange(count)</c> (int64, 0..count-1) without the temporary Scalars that TorchSharp's
    /// <c>arange(stop)</c> overloads create for start and step.
    /// </summary>
    /// <param name="count">Number of elements (at least 0).</param>
    /// <param name="device">Device; CPU when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static Tensor Arange(long count, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        using var stop = count.ToScalar();
        return arange(ZeroInt64, stop, OneInt64, ScalarType.Int64, device);
    }
}
