using BenchmarkDotNet.Running;

namespace Norton.Benchmarks;

/// <summary>
/// Entry point: the <c>profile-*</c> commands (and <c>read-checkpoint</c>) print one JSON line each (see README.md); anything else (or nothing) goes to BenchmarkDotNet's
/// switcher, e.g. <c>--filter '*Sinkhorn*'</c>, <c>--job short</c>, <c>--list flat</c>.
/// </summary>
public static class Program
{
    /// <summary>Dispatches on the first argument.</summary>
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "profile-sinkhorn":
                return Command(() => ProfileSinkhornCommand.Run(args[1..]), ProfileSinkhornCommand.Usage);
            case "profile-loss":
                return Command(() => ProfileLossCommand.Run(args[1..]), ProfileLossCommand.Usage);
            case "read-checkpoint":
                return Command(() => ReadCheckpointCommand.Run(args[1..]), ReadCheckpointCommand.Usage);
            case "profile-evaluate":
                return Command(() => ProfileEvaluateCommand.Run(args[1..]), ProfileEvaluateCommand.Usage);
            case "profile-allreduce":
                return Command(() => ProfileAllReduceCommand.Run(args[1..]), ProfileAllReduceCommand.Usage);
            case "profile-extract":
                return Command(() => ProfileExtractCommand.Run(args[1..]), ProfileExtractCommand.Usage);
            case "profile-step":
                return Command(() => ProfileStepCommand.Run(args[1..]), ProfileStepCommand.Usage);
            case "soak-step":
                return Command(() => SoakStepCommand.Run(args[1..]), SoakStepCommand.Usage);
            case "profile-sampler":
                return Command(() => ProfileSamplerCommand.Run(args[1..]), ProfileSamplerCommand.Usage);
            case "profile-retrieval":
                return Command(() => ProfileRetrievalCommand.Run(args[1..]), ProfileRetrievalCommand.Usage);
            case "stress-soak":
                return Command(() => StressSoakCommand.Run(args[1..]), StressSoakCommand.Usage);
            default:
                BenchmarkEnvironment.Initialize();
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }

    private static int Command(Func<int> run, string usage)
    {
        try
        {
            return run();
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: " + usage);
            return 2;
        }
    }
}
