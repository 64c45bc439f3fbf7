using System.Globalization;

namespace Norton.Training.MpiHost;

/// <summary>Arguments of the <c>train</c> scenario.</summary>
public sealed record TrainArguments(int Steps, string Out, string? Checkpoint, bool Resume, int FailRank, int FailStep, int Size = 1, long BucketFloats = Norton.Training.Distributed.DataParallel.DefaultBucketFloats)
{
    public static TrainArguments Parse(string[] args)
    {
        int steps = 0, failRank = -1, failStep = -1, size = 1;
        long bucketFloats = Norton.Training.Distributed.DataParallel.DefaultBucketFloats;
        string? output = null, checkpoint = null;
        bool resume = false;
        for (int k = 0; k < args.Length; k++)
        {
            switch (args[k])
            {
                case "--steps": steps = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
                case "--out": output = args[++k]; break;
                case "--checkpoint": checkpoint = args[++k]; break;
                case "--size": size = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
                case "--bucket-floats": bucketFloats = long.Parse(args[++k], CultureInfo.InvariantCulture); break;
                case "--resume": resume = true; break;
                case "--fail-rank": failRank = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
                case "--fail-step": failStep = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown argument '{args[k]}'", nameof(args));
            }
        }
        if (steps < 1 || output is null) throw new ArgumentException("train needs --steps N (>= 1) and --out DIR", nameof(args));
        if (resume && checkpoint is null) throw new ArgumentException("--resume needs --checkpoint FILE", nameof(args));
        return new TrainArguments(steps, output, checkpoint, resume, failRank, failStep, size, bucketFloats);
    }
}
