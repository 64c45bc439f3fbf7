namespace Norton.Stress;

/// <summary>The parsed command line of <see cref="Program"/>.</summary>
/// <param name="Workload">Which workload (<see cref="Workloads.Names"/>).</param>
/// <param name="Steps">Steps per training thread.</param>
/// <param name="Allocators">Threads that allocate .NET objects meanwhile.</param>
/// <param name="Trainers">Threads that each run the workload.</param>
/// <param name="Optimizer">norton (Norton.Core.Optimization.Adam) or torch (TorchSharp's Adam) where a workload steps an optimiser.</param>
public sealed record StressArguments(string Workload, long Steps, int Allocators, int Trainers, string Optimizer)
{
    /// <summary>Parses <c>workload [--steps N] [--allocators K] [--trainers K] [--optimizer norton|torch]</c>.</summary>
    /// <exception cref="ArgumentException">An unknown workload or option, or a bad value.</exception>
    public static StressArguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0) throw new ArgumentException("missing the workload name");
        string workload = args[0];
        if (!Workloads.Names.Split(' ').Contains(workload))
            throw new ArgumentException($"unknown workload '{workload}'; expected one of: {Workloads.Names}");
        long steps = 2000;
        int allocators = 1, trainers = 1;
        string optimizer = "norton";
        for (int i = 1; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count) throw new ArgumentException($"option {args[i]} needs a value");
            string v = args[i + 1];
            switch (args[i])
            {
                case "--steps": steps = Positive(v, "--steps"); break;
                case "--allocators": allocators = (int)NonNegative(v, "--allocators"); break;
                case "--trainers": trainers = (int)Positive(v, "--trainers"); break;
                case "--optimizer":
                    optimizer = v is "norton" or "torch" ? v : throw new ArgumentException($"--optimizer must be norton or torch, got '{v}'");
                    break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }
        return new StressArguments(workload, steps, allocators, trainers, optimizer);
    }

    private static long Positive(string v, string name) =>
        long.TryParse(v, out long n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive integer, got '{v}'");

    private static long NonNegative(string v, string name) =>
        long.TryParse(v, out long n) && n >= 0 ? n : throw new ArgumentException($"{name} must be a non-negative integer, got '{v}'");
}
