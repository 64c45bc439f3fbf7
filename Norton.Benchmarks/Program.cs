using BenchmarkDotNet.Running;

namespace Norton.Benchmarks;

/// <summary>
/// Entry point: <c>profile-sinkhorn ...</c> and <c>profile-loss ...</c> print one JSON line each; anything else (or nothing) goes to BenchmarkDotNet's
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
