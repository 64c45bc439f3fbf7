using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Stress;

/// <summary>
/// A plain TorchSharp training loop as users write it, with no Norton code: Linear-ReLU-Linear, a squared error
/// written with operators, TorchSharp's Adam. It creates temporary Scalars on purpose: this is the reproduction of
/// TorchSharp's race (docs/thread-safety.md).
/// </summary>
internal sealed class PlainTorchLoop : IStressWorkload
{
    private readonly nn.Module<Tensor, Tensor> _net;
    private readonly optim.Optimizer _adam;
    private readonly Tensor _x, _y;

    public PlainTorchLoop(int seed)
    {
        manual_seed(4000 + seed);
        _net = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 1));
#pragma warning disable RS0030 // The reproduction: TorchSharp's Adam is the defect under test.
        _adam = optim.Adam(_net.parameters(), lr: 1e-3);
#pragma warning restore RS0030
        _x = randn(64, 32);
        _y = randn(64, 1);
    }

    public void Step()
    {
#pragma warning disable RS0030 // The reproduction: the operators' and Adam's temporary Scalars are the defect under test.
        var prediction = _net.forward(_x * 1.0);
        var loss = (prediction - _y).pow(2).mean() + 0.0;
        loss.backward();
        _adam.step();
        _adam.zero_grad();
#pragma warning restore RS0030
    }

    public void Dispose()
    {
        _adam.Dispose();
        _net.Dispose();
        _x.Dispose();
        _y.Dispose();
    }
}
