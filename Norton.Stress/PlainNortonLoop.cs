using Norton.Core;
using Norton.Core.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Stress;

/// <summary>
/// The same loop as <see cref="PlainTorchLoop"/> written by the rules of docs/thread-safety.md: no temporary Scalar
/// (tensor-tensor ops, cached Scalars) and Norton's <see cref="Adam"/> instead of TorchSharp's.
/// </summary>
internal sealed class PlainNortonLoop : IStressWorkload
{
    private readonly nn.Module<Tensor, Tensor> _net;
    private readonly Adam _adam;
    private readonly Tensor _x, _y;

    public PlainNortonLoop(int seed)
    {
        manual_seed(4000 + seed);
        _net = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 1));
        _adam = new Adam(_net.parameters(), new AdamOptions { LearningRate = 1e-3 });
        _x = randn(64, 32);
        _y = randn(64, 1);
    }

    public void Step()
    {
        var prediction = _net.forward(_x.mul(Scalars.One));
        var error = prediction.sub(_y);
        var loss = error.mul(error).mean().add(Scalars.Zero, Scalars.One);
        loss.backward();
        ClipGradNorm.Apply(_net.parameters(), maxNorm: 1.0).Dispose();
        _adam.Step();
        _adam.ZeroGrad();
    }

    public void Dispose()
    {
        _adam.Dispose();
        _net.Dispose();
        _x.Dispose();
        _y.Dispose();
    }
}
