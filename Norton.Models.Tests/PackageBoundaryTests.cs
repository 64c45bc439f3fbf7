using System.Reflection;
using Norton.Core.Features;
using Xunit;

namespace Norton.Models.Tests;

/// <summary>The packages are cut along their dependencies: Core &lt;- Models and Core &lt;- Losses, not Models -&gt; Losses.</summary>
public sealed class PackageBoundaryTests
{
    [Fact]
    public void ModelsDoesNotReferenceLosses()
    {
        Assembly models = typeof(VideoTextModel).Assembly;
        var referenced = models.GetReferencedAssemblies().Select(a => a.Name).ToArray();
        Assert.DoesNotContain("Norton.Losses", referenced);
        Assert.Contains("Norton.Core", referenced);
    }

    [Fact]
    public void TheModelOutputIsTheLossInputTypeOfCore()
    {
        var toLossInputs = typeof(VideoTextOutput).GetMethod(nameof(VideoTextOutput.ToLossInputs))!;
        Assert.Equal(typeof((VideoFeatures, TextFeatures)), toLossInputs.ReturnType);
        Assert.Equal("Norton.Core", typeof(VideoFeatures).Assembly.GetName().Name);
        Assert.Equal(typeof(VideoFeatures), typeof(VideoTextOutput).GetProperty(nameof(VideoTextOutput.Video))!.PropertyType);
        Assert.Equal(typeof(TextFeatures), typeof(VideoTextOutput).GetProperty(nameof(VideoTextOutput.Text))!.PropertyType);
    }

    [Fact]
    public void FixtureConfigsAreNotPublicApi()
    {
        var statics = typeof(Norton.Models.VideoClip.VideoClipConfig).GetProperties(BindingFlags.Public | BindingFlags.Static);
        Assert.DoesNotContain(statics, p => p.Name.StartsWith("Reduced", StringComparison.Ordinal));
    }
}
