using System.Text.Json;
using Norton.Core.OptimalTransport;
using Norton.TestSupport;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Core.Tests;

/// <summary>
/// Warm start, epsilon annealing and unbalanced marginals against POT 0.8.2's converged answers
/// (fixtures made by tools/fixtures/make_pot_fixtures.py).
/// </summary>
public class PotCrossCheckTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pot");

    private static JsonElement Load(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".json")));
        return doc.RootElement.Clone();
    }

    private static Tensor T(JsonElement e, string key) => GoldenCase.ReadTensor(e.GetProperty(key));

    [Fact]
    public void BalancedWeightsConvergeToPot()
    {
        using var scope = NewDisposeScope();
        var c = Load("balanced_weights_7x5_eps0.2");
        var problem = new TransportProblem(T(c, "scores"), Marginals.FromWeights(T(c, "a"), T(c, "b")));
        using var r = Sinkhorn.Solve(problem, new SinkhornOptions { Epsilon = c.GetProperty("eps").GetDouble(), MaxIterations = 5000, Tolerance = 1e-13 });
        Assert.True(r.Converged.item<bool>());
        Tolerance.AssertClose(T(c, "plan"), r.Plan, 1e-8, 1e-10, 0, "plan vs POT");
    }

    [Fact]
    public void WarmStartFromConvergedPotentialsStopsAtFirstCheck()
    {
        using var scope = NewDisposeScope();
        var c = Load("balanced_weights_7x5_eps0.2");
        var problem = new TransportProblem(T(c, "scores"), Marginals.FromWeights(T(c, "a"), T(c, "b")));
        var options = new SinkhornOptions { Epsilon = c.GetProperty("eps").GetDouble(), MaxIterations = 5000, Tolerance = 1e-12, CheckEvery = 1 };
        using var cold = Sinkhorn.Solve(problem, options);
        using var warm = Sinkhorn.Solve(problem, options, T(c, "log_u"), T(c, "log_v"));
        Assert.Equal(1, warm.Iterations);
        Assert.True(cold.Iterations > 20, $"cold start took {cold.Iterations} sweeps");
        Tolerance.AssertClose(T(c, "plan"), warm.Plan, 1e-9, 1e-12, 0, "warm plan vs POT");
        // Potentials are unique up to f + c, g - c; the warm start keeps POT's gauge.
        Tolerance.AssertClose(T(c, "log_u"), warm.F, 1e-8, 1e-10, 0, "warm F vs POT log_u");
    }

    [Fact]
    public void AnnealingReachesPotsSmallEpsilonSolutionWithFewerSweeps()
    {
        using var scope = NewDisposeScope();
        var c = Load("annealing_6x6_eps0.02");
        double eps = c.GetProperty("eps").GetDouble();
        var problem = new TransportProblem(T(c, "scores"), Marginals.FromWeights(T(c, "a"), T(c, "b")));
        // A hard case (epsilon 0.02 on scores in [0, 1]: POT needed ~80,000 sweeps to 1e-14). At tolerance 1e-5 the plain
        // solve needs thousands of sweeps; the annealed one must get there in fewer and reach the same plan.
        var plain = new SinkhornOptions { Epsilon = eps, MaxIterations = 40_000, Tolerance = 1e-5, CheckEvery = 10 };
        var annealed = plain with { Annealing = new EpsilonAnnealing { Initial = 1.0, Decay = 0.9 } };
        using var a = Sinkhorn.Solve(problem, annealed);
        using var p = Sinkhorn.Solve(problem, plain);
        Assert.True(a.Converged.item<bool>(), $"annealed solve did not converge in {a.Iterations} sweeps");
        Assert.True(a.Iterations < p.Iterations, $"annealed {a.Iterations} sweeps vs plain {p.Iterations}");
        Tolerance.AssertClose(T(c, "plan"), a.Plan, 0, 0, 1e-5, "annealed plan vs POT");
    }

    [Theory]
    [InlineData("unbalanced_5x8_eps0.1_tau1.0")]
    [InlineData("unbalanced_6x4_eps0.5_tau0.3")]
    public void UnbalancedMatchesPotSinkhornUnbalanced(string name)
    {
        using var scope = NewDisposeScope();
        var c = Load(name);
        double tau = c.GetProperty("tau").GetDouble();
        var problem = new TransportProblem(T(c, "scores"), Marginals.FromWeights(T(c, "a"), T(c, "b")),
            relaxation: new KlRelaxation(tau, tau));
        using var r = Sinkhorn.Solve(problem, new SinkhornOptions { Epsilon = c.GetProperty("eps").GetDouble(), MaxIterations = 100_000, Tolerance = 1e-14, CheckEvery = 10 });
        Assert.True(r.Converged.item<bool>());
        Tolerance.AssertClose(T(c, "plan"), r.Plan, 1e-8, 1e-10, 0, $"{name}: plan vs POT");
    }

    [Fact]
    public void UnequalMassesWithoutRelaxationAreRejected()
    {
        using var scope = NewDisposeScope();
        var c = Load("unbalanced_5x8_eps0.1_tau1.0");
        // Values (the masses) are checked when the problem is solved (SinkhornOptions.CheckValues), in one read.
        var ex = Assert.Throws<ArgumentException>(() => Sinkhorn.Solve(new TransportProblem(T(c, "scores"), Marginals.FromWeights(T(c, "a"), T(c, "b"))), SinkhornOptions.Norton));
        Assert.Contains("equal mass", ex.Message);
    }
}
