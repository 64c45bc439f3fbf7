using Xunit;

namespace Norton.Cli.Tests;

public sealed class CommandTreeTests
{
    [Fact]
    public void HelpExitsZero()
    {
        var writer = new StringWriter();
        var config = new System.CommandLine.InvocationConfiguration { Output = writer };
        int code = Program.BuildRoot().Parse(["--help"]).Invoke(config);
        Assert.Equal(0, code);
        Assert.Contains("norton", writer.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
