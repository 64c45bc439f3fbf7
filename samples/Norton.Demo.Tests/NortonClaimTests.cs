using Xunit;

namespace Norton.Demo.Tests;

/// <summary>
/// The demo's claim, checked at its default settings: trained through the same noisy pairs, Norton retrieves
/// paragraphs better than InfoNCE, by the OT distance with the prompt bucket and by Cap.Avg, on more than one seed.
/// </summary>
public sealed class NortonClaimTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "norton-demo-claim-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void NortonBeatsInfoNceOnParagraphRetrievalWithDefaultNoise(int seed)
    {
        var options = new DemoOptions { Seed = seed, NoPlots = true, Output = Path.Combine(_folder, $"seed{seed}") };
        var outcome = DemoRun.Execute(options, interactive: false);
        Assert.True(outcome.Norton.ParagraphR1 > outcome.InfoNce.ParagraphR1,
            $"seed {seed}: OT + bucket R@1 Norton {outcome.Norton.ParagraphR1:F3} vs InfoNCE {outcome.InfoNce.ParagraphR1:F3}");
        Assert.True(outcome.Norton.ParagraphR1CapAvg > outcome.InfoNce.ParagraphR1CapAvg,
            $"seed {seed}: Cap.Avg R@1 Norton {outcome.Norton.ParagraphR1CapAvg:F3} vs InfoNCE {outcome.InfoNce.ParagraphR1CapAvg:F3}");
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
