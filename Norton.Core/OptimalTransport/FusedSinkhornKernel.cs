using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Core.OptimalTransport;

/// <summary>
/// The Sinkhorn sweeps of <see cref="SinkhornIteration"/> for batches of small problems on the CPU (Norton's 9 x 9
/// bucket problems), fused into one pass over the tensor memory: every problem runs all its sweeps while it sits in
/// the L1 cache, with no allocation per sweep, in parallel over problems.
/// </summary>
/// <remarks>
/// <para>The torch path runs about a dozen small torch ops per sweep on the whole (B, m', n') batch; for 16384 problems of
/// 9 x 9 each op streams megabytes through memory and the 50 sweeps cost hundreds of milliseconds. Here a group of
/// <c>Vector256&lt;T&gt;.Count</c> problems is held transposed (lane = problem), so one vector instruction advances 8 (float)
/// or 4 (double) problems.</para>
/// <para>Kernel domain: with <c>K = exp(Z - max Z)</c> per problem, the log-domain sweep
/// <c>f = log a - LSE_j(Z + g)</c>, <c>g = log b - LSE_i(Z + f)</c> is <c>u = a / (K v)</c>, <c>v = b / (K^T u)</c> with
/// <c>u = exp(f + max Z + d)</c>, <c>v = exp(g - d)</c> (<c>d</c> = the largest warm-start <c>g</c>): the same iterate,
/// without an exp per entry per sweep. It is used only where the spread of Z, of the warm start and of the log-marginals
/// is small enough that no kernel entry or scaling can leave the normal range of the dtype (the potentials' spread is
/// bounded by the spread of Z plus that of the marginals after one sweep); other problems run the log-domain sweeps
/// here, per problem and scalar, exactly as the torch path computes them.</para>
/// <para>Applies only to detached, unannealed, balanced, unmasked float32/float64 CPU problems of at most
/// <see cref="MaxSize"/> rows and columns (bucket included), <see cref="SinkhornBackend.FusedCpu"/>; <see cref="CannotRun"/>
/// says why not otherwise. Tolerance and per-problem freezing behave as in the torch path.</para>
/// </remarks>
internal sealed partial class FusedSinkhornKernel : ISinkhornBackend
{
    /// <summary>Largest m' and n' (bucket included) the kernel takes; larger problems are cheap enough for torch ops.</summary>
    internal const int MaxSize = 64;

    /// <summary>The one instance.</summary>
    public static FusedSinkhornKernel Instance { get; } = new();

    private FusedSinkhornKernel() { }

    /// <inheritdoc />
    public SinkhornBackend Kind => SinkhornBackend.FusedCpu;

    /// <summary>How many problems ran in the kernel domain and how many in the log domain.</summary>
    internal sealed record RunStatistics(long KernelDomainProblems, long LogDomainProblems);

    /// <inheritdoc />
    public SinkhornIteration.Output? Run(SinkhornRun run, out string? declined)
    {
        declined = null;
        run.Checks.Read();
        var (p, options, f0, g0) = (run.Problem, run.Options, run.F0, run.G0);
        var s = run.Scores;
        long batch = s.shape[0];
        int rows = (int)s.shape[1], cols = (int)s.shape[2];
        var dtype = s.dtype;

        // Same Z as the torch path (bit for bit): the packaging adds the potentials to it.
        var z = SinkhornRun.Scaled(s, options.Epsilon).contiguous();
        var f = empty(batch, rows, dtype: dtype);
        var g = empty(batch, cols, dtype: dtype);
        var problemIterations = empty(batch, dtype: ScalarType.Int64);
        var error = empty(batch, dtype: ScalarType.Float64);
        var tensors = new Tensors(z, p.LogA.contiguous(), p.LogB.contiguous(), f0?.contiguous(), g0?.contiguous(), f, g, problemIterations, error);
        double tolerance = options.Tolerance ?? SinkhornResult.DefaultTolerance;

        var statistics = dtype == ScalarType.Float32
            ? Run<float>(tensors, batch, rows, cols, options, (float)tolerance, FloatRangeLimit)
            : Run<double>(tensors, batch, rows, cols, options, tolerance, DoubleRangeLimit);

        // The kernel works in the tensors' CPU memory; the sweep count is read from there, not through a torch read.
        int done = options.Tolerance.HasValue ? (int)MaxOf(MemoryMarshal.Cast<byte, long>(problemIterations.bytes)) : options.MaxIterations;
        using var toleranceScalar = tolerance.ToScalar();
        return new SinkhornIteration.Output(z, f, g, done, problemIterations, error, error.le(toleranceScalar), statistics);
    }

    /// <inheritdoc />
    public string? CannotRun(SinkhornRun run)
    {
        var (p, options) = (run.Problem, run.Options);
        if (options.Gradient != SinkhornGradient.Detach) return "it has no autograd (SinkhornOptions.Gradient must be Detach)";
        if (options.Annealing is not null) return "it does not anneal epsilon (SinkhornOptions.Annealing must be null)";
        if (run.Relaxation is not null) return "it does not take a KlRelaxation";
        if (p.Masked) return "it does not take masks (ragged problems)";
        var s = run.Scores;
        if (s.device_type != DeviceType.CPU) return $"it runs on the CPU only, and the scores are on {s.device}";
        if (s.dtype != ScalarType.Float32 && s.dtype != ScalarType.Float64)
            return $"it takes float32 or float64 only (half precision is solved in float32), and the scores are {s.dtype}";
        if (s.shape[1] > MaxSize || s.shape[2] > MaxSize)
            return $"it takes at most {MaxSize} rows and columns (bucket included), and the problem has {s.shape[1]} x {s.shape[2]}";
        // Span<byte> views over the tensors: their byte sizes must fit an int.
        if (s.numel() * s.element_size() > int.MaxValue) return "the batch's scores exceed 2 GiB (int-sized spans)";
        foreach (var t in new[] { p.LogA, p.LogB, run.F0, run.G0 })
        {
            if (t is not null && (t.device_type != DeviceType.CPU || t.dtype != s.dtype))
                return "its marginals and warm start must be CPU tensors of the scores' dtype";
        }
        return null;
    }

    private static long MaxOf(ReadOnlySpan<long> values)
    {
        long max = long.MinValue;
        foreach (var v in values) max = Math.Max(max, v);
        return max;
    }

    /// <summary>The tensors one run reads and writes (all contiguous, CPU).</summary>
    private sealed record Tensors(Tensor Z, Tensor LogA, Tensor LogB, Tensor? F0, Tensor? G0, Tensor F, Tensor G,
        Tensor ProblemIterations, Tensor Error);

    /// <summary>Spans over the tensors' memory, made once per chunk of work (spans cannot cross the parallel lambda).</summary>
    private readonly ref struct Views<T> where T : unmanaged
    {
        public Views(Tensors t)
        {
            Z = MemoryMarshal.Cast<byte, T>(t.Z.bytes);
            LogA = MemoryMarshal.Cast<byte, T>(t.LogA.bytes);
            LogB = MemoryMarshal.Cast<byte, T>(t.LogB.bytes);
            F0 = t.F0 is null ? default : MemoryMarshal.Cast<byte, T>(t.F0.bytes);
            G0 = t.G0 is null ? default : MemoryMarshal.Cast<byte, T>(t.G0.bytes);
            HasF0 = t.F0 is not null;
            HasG0 = t.G0 is not null;
            F = MemoryMarshal.Cast<byte, T>(t.F.bytes);
            G = MemoryMarshal.Cast<byte, T>(t.G.bytes);
            ProblemIterations = MemoryMarshal.Cast<byte, long>(t.ProblemIterations.bytes);
            Error = MemoryMarshal.Cast<byte, double>(t.Error.bytes);
        }

        public ReadOnlySpan<T> Z { get; }
        public ReadOnlySpan<T> LogA { get; }
        public ReadOnlySpan<T> LogB { get; }
        public ReadOnlySpan<T> F0 { get; }
        public ReadOnlySpan<T> G0 { get; }
        public bool HasF0 { get; }
        public bool HasG0 { get; }
        public Span<T> F { get; }
        public Span<T> G { get; }
        public Span<long> ProblemIterations { get; }
        public Span<double> Error { get; }
    }

    /// <summary>The sweep settings shared by every problem of a run.</summary>
    private readonly record struct Settings<T>(int Rows, int Columns, int Iterations, bool Checking, int CheckEvery, T Tolerance, T RangeLimit);

    private static RunStatistics Run<T>(Tensors tensors, long batch, int rows, int cols, SinkhornOptions options, T tolerance, T rangeLimit)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var settings = new Settings<T>(rows, cols, options.MaxIterations, options.Tolerance.HasValue, options.CheckEvery, tolerance, rangeLimit);
        int width = Vector256<T>.Count;
        long groups = (batch + width - 1) / width;
        int threads = Math.Max(1, torch.get_num_threads());
        long kernelDomain = 0;

        if (threads == 1 || groups == 1)
        {
            kernelDomain = RunGroups(tensors, settings, batch, 0, groups, new Workspace<T>(rows, cols));
        }
        else
        {
            // A few chunks per thread evens out groups that fall back to the slower log-domain sweeps.
            long chunks = Math.Min(groups, threads * 4L);
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads },
                () => new Workspace<T>(rows, cols),
                (chunk, _, workspace) =>
                {
                    long first = chunk * groups / chunks, last = (chunk + 1) * groups / chunks;
                    workspace.KernelDomainProblems += RunGroups(tensors, settings, batch, first, last, workspace);
                    return workspace;
                },
                workspace => Interlocked.Add(ref kernelDomain, workspace.KernelDomainProblems));
        }
        return new RunStatistics(kernelDomain, batch - kernelDomain);
    }

    /// <summary>Solves the problems of groups [first, last); returns how many ran in the kernel domain.</summary>
    private static long RunGroups<T>(Tensors tensors, Settings<T> settings, long batch, long first, long last, Workspace<T> workspace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var views = new Views<T>(tensors);
        int width = Vector256<T>.Count;
        long kernelDomain = 0;
        for (long group = first; group < last; group++)
        {
            long problem = group * width;
            int lanes = (int)Math.Min(width, batch - problem);
            // Zero sweeps: the output is the warm start itself, which the kernel domain would only round-trip.
            if (settings.Iterations > 0 && SolveGroupInKernelDomain(views, settings, workspace, problem, lanes))
            {
                kernelDomain += lanes;
                continue;
            }
            for (int lane = 0; lane < lanes; lane++)
                SolveInLogDomain(views, settings, workspace, problem + lane);
        }
        return kernelDomain;
    }
}
