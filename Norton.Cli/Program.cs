using System.CommandLine;

namespace Norton.Cli;

/// <summary>
/// The <c>norton</c> command. Each subcommand lives in its own file (<c>Commands/*Command.cs</c>) and is added here.
/// </summary>
public static class Program
{
    /// <summary>Builds the command tree: one entry per subcommand.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Norton for .NET: post-pretraining, zero-shot evaluation and corpus preparation.");
        // Subcommands register here, one line each (keep alphabetical).
        root.Subcommands.Add(Commands.BuildCorpusCommand.Create());
        root.Subcommands.Add(Commands.EvaluateCommand.Create());
        root.Subcommands.Add(Commands.ExtractFeaturesCommand.Create());
        root.Subcommands.Add(Commands.MakeCorpusCommand.Create());
        root.Subcommands.Add(Commands.PretrainCommand.Create());
        root.Subcommands.Add(Commands.TokenizeCaptionsCommand.Create());
        return root;
    }

    /// <summary>Runs the command line; returns the process exit code.</summary>
    public static int Main(string[] args) => BuildRoot().Parse(args).Invoke();
}
