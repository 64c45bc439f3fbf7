using Norton.Core;
using Norton.Core.OptimalTransport;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Stress;

/// <summary>
/// (b) <see cref="Sinkhorn.Solve"/> in one of its three implementations: the fused CPU kernel (a batch of 9 x 9
/// problems), scaling with absorption (one 72 x 72 problem, past the kernel's 64 and at least 4,096 entries), or the
/// log-domain torch ops (each named through <see cref="SinkhornOptions.Backend"/>; <c>sinkhorn-unrolled</c> adds the unrolled gradient and a backward pass, slower,
/// so it runs in the soak command only).
/// </summary>
internal sealed class SinkhornWorkload : IStressWorkload
{
    public enum Path { Fused, Scaling, Torch }

    private readonly Path _path;
    private readonly Tensor _scores;
    private readonly SinkhornOptions _options;
    private readonly bool _unrolled;

    public SinkhornWorkload(Path path, int seed, bool unrolled = false)
    {
        _path = path;
        _unrolled = unrolled;
        using var gen = new Generator((ulong)(2000 + seed));
        _scores = path == Path.Scaling ? randn([1, 72, 72], generator: gen) : randn([8, 9, 9], generator: gen);
        if (unrolled) _scores.requires_grad_();
        // 5 sweeps instead of 50: the same ops, ten times as many steps per second.
        _options = SinkhornOptions.Norton with
        {
            MaxIterations = 5,
            Gradient = path == Path.Torch && unrolled ? SinkhornGradient.Unrolled : SinkhornGradient.Detach,
            Backend = path switch
            {
                Path.Fused => SinkhornBackend.FusedCpu,
                Path.Scaling => SinkhornBackend.Scaling,
                _ => SinkhornBackend.LogDomain,
            },
        };
    }

    public void Step()
    {
        // The backend is named in the options: Solve throws rather than run another one.
        using var result = Sinkhorn.Solve(new TransportProblem(_scores), _options);
        if (result.Backend != _options.Backend)
            throw new InvalidOperationException($"asked for {_options.Backend}, {result.Backend} ran");
        if (_unrolled)
        {
            result.Plan.mul(_scores).sum().backward();
            var g = _scores.grad;
            _scores.grad = null;
            g?.Dispose();
        }
    }

    public void Dispose() => _scores.Dispose();
}
