using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Training.Tests.Training;

/// <summary>The optimiser wrapper against Adam's and clipping's formulas, computed independently in double.</summary>
public sealed class TrainerOptimizerTests
{
    private static readonly TrainerOptions Recipe = new();

    private static double[] Values(Tensor t) => t.to(ScalarType.Float64).data<double>().ToArray();

    [Fact]
    public void AdamStepsFollowTheFormulaWithBetas09And098()
    {
        using var scope = NewDisposeScope();
        double[] p0 = [0.5, -1.0, 2.0];
        using var p = new Parameter(tensor(p0.Select(x => (float)x).ToArray()));
        using var optimizer = new TrainerOptimizer([p], Recipe);
        double[][] grads = [[0.1, -0.2, 0.3], [-0.05, 0.4, 0.0]];
        double[] lrs = [0.01, 0.02];
        double[] m = new double[3], v = new double[3], expected = (double[])p0.Clone();
        (double b1, double b2) = (0.9, 0.98);
        for (int t = 1; t <= 2; t++)
        {
            optimizer.ZeroGrad();
            p.grad = tensor(grads[t - 1].Select(x => (float)x).ToArray());
            optimizer.PrepareGradients(1, 1e6);
            optimizer.Step(lrs[t - 1]);
            for (int i = 0; i < 3; i++)
            {
                double g = grads[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double denom = Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(b2, t)) + 1e-8;
                expected[i] -= lrs[t - 1] / (1 - Math.Pow(b1, t)) * m[i] / denom;
            }
            double[] actual = Values(p);
            for (int i = 0; i < 3; i++) Assert.Equal(expected[i], actual[i], 6);
        }
    }

    [Fact]
    public void ClippingScalesTheTotalNormToClipNorm()
    {
        using var scope = NewDisposeScope();
        using var a = new Parameter(zeros(3));
        using var b = new Parameter(zeros(2));
        using var optimizer = new TrainerOptimizer([a, b], Recipe);
        a.grad = tensor(new float[] { 3, 0, 0 });
        b.grad = tensor(new float[] { 0, 4 });

        double norm = optimizer.PrepareGradients(1, 2.0);

        Assert.Equal(5.0, norm, 5);
        double coef = 2.0 / (5.0 + 1e-6);
        Assert.Equal([3 * coef, 0, 0], Values(a.grad!), (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal([0, 4 * coef], Values(b.grad!), (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Fact]
    public void GradientsBelowClipNormAndLossScaleAreUndone()
    {
        using var scope = NewDisposeScope();
        using var a = new Parameter(zeros(2));
        using var optimizer = new TrainerOptimizer([a], Recipe);
        a.grad = tensor(new float[] { 0.6f * 128, 0.8f * 128 });

        double norm = optimizer.PrepareGradients(128, 2.0);

        Assert.Equal(1.0, norm, 5);
        Assert.Equal([0.6, 0.8], Values(a.grad!), (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Fact]
    public void HalfPrecisionParametersGetFloat32MastersAndOverflowShowsInTheNorm()
    {
        using var scope = NewDisposeScope();
        using var a = new Parameter(tensor(new float[] { 1, 2 }).to(ScalarType.Float16));
        using var optimizer = new TrainerOptimizer([a], Recipe);
        Assert.Equal(ScalarType.Float32, optimizer.Updated[0].dtype);

        a.grad = tensor(new float[] { float.PositiveInfinity, 1 }).to(ScalarType.Float16);
        Assert.False(double.IsFinite(optimizer.PrepareGradients(8, 2.0)));

        optimizer.ZeroGrad();
        a.grad = tensor(new float[] { 8, 8 }).to(ScalarType.Float16);
        Assert.Equal(Math.Sqrt(2), optimizer.PrepareGradients(8, 2.0), 5);
        optimizer.Step(0.1);
        // First Adam step moves each weight by lr (m/sqrt(v) = sign(g) after bias correction).
        Assert.Equal([0.9, 1.9], Values(optimizer.Updated[0]), (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal([0.9, 1.9], Values(a), (x, y) => Math.Abs(x - y) < 2e-3);
    }
}
