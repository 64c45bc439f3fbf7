using System.Globalization;

namespace Norton.Training.MpiHost;

/// <summary>Arguments of the <c>trainer</c> and <c>trainer-reference</c> scenarios.</summary>
public sealed record TrainerArguments(int Steps, string Out, bool Resume, int SaveInterval, int FailRank, int FailStep, int Size)
{
    public static TrainerArguments Parse(string[] args)
    {
        int steps = 0, saveInterval = 0, failRank = -1, failStep = -1, size = 1;
        string? output = null;
        bool resume = false;
        for (int k = 0; k < args.Length; k++)
        {
            switch (args[k])
            {
                case "--steps": steps = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
                case "--out": output = args[++k]; break;
                case "--resume": resume = true; break;
                case "--save-interval": saveInterval = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
                case "--size": size = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
                case "--fail-rank": failRank = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
                case "--fail-step": failStep = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown argument '{args[k]}'", nameof(args));
            }
        }
        if (steps < 1 || output is null) throw new ArgumentException("trainer needs --steps N (>= 1) and --out DIR", nameof(args));
        return new TrainerArguments(steps, output, resume, saveInterval, failRank, failStep, size);
    }
}
