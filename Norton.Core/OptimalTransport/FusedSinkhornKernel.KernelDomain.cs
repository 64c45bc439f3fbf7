using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Norton.Core.OptimalTransport;

internal sealed partial class FusedSinkhornKernel
{
    // Largest spread (max - min) of Z plus those of the warm-start g and of the finite log-marginals for which a problem
    // runs in the kernel domain. One sweep bounds the spread of the potentials by the spread of Z plus that of the
    // marginals, so with spread L every kernel entry, scaling and product stays within about exp(+-3L) times size
    // factors: inside the normal range of float32 (exp(+-87)) and float64 (exp(+-708)), where multiplications and
    // divisions keep full relative precision. Norton's bucket problems (scores and p in [0, 1], epsilon 0.1) spread 10.
    private const float FloatRangeLimit = 20f;
    private const double DoubleRangeLimit = 200.0;

    /// <summary>
    /// Solves the problems <c>first .. first+lanes-1</c> in the kernel domain, one per vector lane; returns false (having
    /// written nothing) when one of them spreads too wide for it.
    /// </summary>
    private static bool SolveGroupInKernelDomain<T>(in Views<T> views, in Settings<T> s, Workspace<T> w, long first, int lanes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = s.Rows, cols = s.Columns;
        Span<Vector256<T>> kernel = w.Kernel, u = w.U, v = w.V, a = w.A, b = w.B;

        Gather(views.Z, rows * cols, first, lanes, kernel);
        Gather(views.LogA, rows, first, lanes, a);
        Gather(views.LogB, cols, first, lanes, b);
        var (zMax, zMin) = MaxMin(kernel);
        var (aMax, aMin) = MaxMin(a);
        var (bMax, bMin) = MaxMin(b);
        var spread = (zMax - zMin) + (aMax - aMin) + (bMax - bMin);
        var gMax = Vector256<T>.Zero;
        if (views.HasG0)
        {
            Gather(views.G0, cols, first, lanes, v);
            (gMax, var gMin) = MaxMin(v);
            spread += gMax - gMin;
        }
        // NaN (an all -infinity marginal) fails the test too.
        if (!Vector256.LessThanOrEqualAll(spread, Vector256.Create(s.RangeLimit))) return false;

        for (int k = 0; k < kernel.Length; k++) kernel[k] = Exp(kernel[k] - zMax);
        for (int i = 0; i < rows; i++) a[i] = Exp(a[i]);
        for (int j = 0; j < cols; j++) b[j] = Exp(b[j]);
        for (int j = 0; j < cols; j++) v[j] = views.HasG0 ? Exp(v[j] - gMax) : Vector256<T>.One;
        u.Clear();

        // Per-lane freezing as in the torch path: a converged problem keeps its scalings while the others go on.
        var active = Vector256<T>.AllBitsSet;
        var error = Vector256<T>.Zero;
        var tolerance = Vector256.Create(s.Tolerance);
        Span<int> iterations = stackalloc int[Vector256<T>.Count];
        iterations.Fill(-1);
        int done = 0;
        for (int t = 0; t < s.Iterations; t++)
        {
            UpdateRows(kernel, v, a, u, cols, active, s.Checking);
            UpdateColumns(kernel, u, b, v, w.ColumnSums, cols, active, s.Checking);
            done = t + 1;
            if (s.Checking && (done % s.CheckEvery == 0 || done == s.Iterations))
            {
                var e = SinkhornMarginalError.RowL1(kernel, u, v, a, cols);
                error = Vector256.ConditionalSelect(active, e, error);
                var still = active & Vector256.GreaterThan(e, tolerance);
                uint stopped = Vector256.ExtractMostSignificantBits(active & ~still);
                for (int lane = 0; lane < iterations.Length; lane++)
                {
                    if ((stopped & (1u << lane)) != 0) iterations[lane] = done;
                }
                active = still;
                if (Vector256.ExtractMostSignificantBits(active) == 0) break;
            }
        }
        if (!s.Checking) error = SinkhornMarginalError.RowL1(kernel, u, v, a, cols);

        // f = log u - max Z - d, g = log v + d (see the class remarks).
        for (int i = 0; i < rows; i++) u[i] = Log(u[i]) - zMax - gMax;
        for (int j = 0; j < cols; j++) v[j] = Log(v[j]) + gMax;
        Scatter(u, rows, first, lanes, views.F);
        Scatter(v, cols, first, lanes, views.G);
        for (int lane = 0; lane < lanes; lane++)
        {
            views.ProblemIterations[(int)(first + lane)] = iterations[lane] >= 0 ? iterations[lane] : done;
            views.Error[(int)(first + lane)] = double.CreateTruncating(error.GetElement(lane));
        }
        return true;
    }

    /// <summary><c>u_i = a_i / sum_j K_ij v_j</c> (frozen lanes keep theirs).</summary>
    private static void UpdateRows<T>(Span<Vector256<T>> kernel, Span<Vector256<T>> v, Span<Vector256<T>> a, Span<Vector256<T>> u,
        int cols, Vector256<T> active, bool freezing)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var k = ref MemoryMarshal.GetReference(kernel);
        ref var vr = ref MemoryMarshal.GetReference(v);
        for (int i = 0; i < u.Length; i++)
        {
            ref var row = ref Unsafe.Add(ref k, i * cols);
            var sum = row * vr;
            for (int j = 1; j < cols; j++) sum = MultiplyAdd(Unsafe.Add(ref row, j), Unsafe.Add(ref vr, j), sum);
            var next = a[i] / sum;
            u[i] = freezing ? Vector256.ConditionalSelect(active, next, u[i]) : next;
        }
    }

    /// <summary><c>v_j = b_j / sum_i K_ij u_i</c>, accumulated row by row so the kernel is read in order.</summary>
    private static void UpdateColumns<T>(Span<Vector256<T>> kernel, Span<Vector256<T>> u, Span<Vector256<T>> b, Span<Vector256<T>> v,
        Span<Vector256<T>> columnSums, int cols, Vector256<T> active, bool freezing)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var k = ref MemoryMarshal.GetReference(kernel);
        ref var sums = ref MemoryMarshal.GetReference(columnSums);
        var u0 = u[0];
        for (int j = 0; j < cols; j++) Unsafe.Add(ref sums, j) = Unsafe.Add(ref k, j) * u0;
        for (int i = 1; i < u.Length; i++)
        {
            ref var row = ref Unsafe.Add(ref k, i * cols);
            var ui = u[i];
            for (int j = 0; j < cols; j++) Unsafe.Add(ref sums, j) = MultiplyAdd(Unsafe.Add(ref row, j), ui, Unsafe.Add(ref sums, j));
        }
        for (int j = 0; j < cols; j++)
        {
            var next = b[j] / Unsafe.Add(ref sums, j);
            v[j] = freezing ? Vector256.ConditionalSelect(active, next, v[j]) : next;
        }
    }

    /// <summary>Transposes <c>size</c> values of each problem of the group into lanes (short groups repeat their last problem).</summary>
    private static void Gather<T>(ReadOnlySpan<T> source, int size, long first, int lanes, Span<Vector256<T>> destination)
        where T : unmanaged
    {
        int width = Vector256<T>.Count;
        var flat = MemoryMarshal.Cast<Vector256<T>, T>(destination);
        for (int lane = 0; lane < width; lane++)
        {
            var problem = source.Slice((int)((first + Math.Min(lane, lanes - 1)) * size), size);
            for (int k = 0; k < size; k++) flat[k * width + lane] = problem[k];
        }
    }

    /// <summary>Writes the first <c>lanes</c> lanes back to their problems.</summary>
    private static void Scatter<T>(Span<Vector256<T>> source, int size, long first, int lanes, Span<T> destination)
        where T : unmanaged
    {
        int width = Vector256<T>.Count;
        var flat = MemoryMarshal.Cast<Vector256<T>, T>(source);
        for (int lane = 0; lane < lanes; lane++)
        {
            var problem = destination.Slice((int)((first + lane) * size), size);
            for (int k = 0; k < size; k++) problem[k] = flat[k * width + lane];
        }
    }

    private static (Vector256<T> Max, Vector256<T> Min) MaxMin<T>(Span<Vector256<T>> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = values[0];
        var min = values[0];
        for (int k = 1; k < values.Length; k++)
        {
            max = Vector256.Max(max, values[k]);
            min = Vector256.Min(min, values[k]);
        }
        return (max, min);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> MultiplyAdd<T>(Vector256<T> left, Vector256<T> right, Vector256<T> addend)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
#if NET9_0_OR_GREATER
        // Fused where the hardware has FMA, a multiply and an add otherwise.
        if (typeof(T) == typeof(float))
            return Vector256.MultiplyAddEstimate(left.AsSingle(), right.AsSingle(), addend.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector256.MultiplyAddEstimate(left.AsDouble(), right.AsDouble(), addend.AsDouble()).As<double, T>();
#endif
        return left * right + addend;
    }

    private static Vector256<T> Exp<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
#if NET9_0_OR_GREATER
        if (typeof(T) == typeof(float)) return Vector256.Exp(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Exp(x.AsDouble()).As<double, T>();
#endif
        Span<T> lanes = stackalloc T[Vector256<T>.Count];
        x.CopyTo(lanes);
        for (int l = 0; l < lanes.Length; l++) lanes[l] = T.Exp(lanes[l]);
        return Vector256.Create<T>(lanes);
    }

    private static Vector256<T> Log<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
#if NET9_0_OR_GREATER
        if (typeof(T) == typeof(float)) return Vector256.Log(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Log(x.AsDouble()).As<double, T>();
#endif
        Span<T> lanes = stackalloc T[Vector256<T>.Count];
        x.CopyTo(lanes);
        for (int l = 0; l < lanes.Length; l++) lanes[l] = T.Log(lanes[l]);
        return Vector256.Create<T>(lanes);
    }
}
