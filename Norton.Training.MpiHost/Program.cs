using Norton.Training.Distributed;

namespace Norton.Training.MpiHost;

/// <summary>
/// <c>basics</c>: exercises every collective and prints one JSON line per rank; <c>train ...</c>: data-parallel
/// updates of a tiny model (see <see cref="TrainScenario"/>); <c>reference ...</c>: the
/// single-process result they must equal (<see cref="ReferenceScenario"/>); <c>crash</c>: an exception on a
/// background thread of rank 1 while rank 0 waits (<see cref="CrashScenario"/>); <c>trainer ...</c>: NortonTrainer
/// itself, data-parallel (<see cref="TrainerScenario"/>); <c>trainer-reference ...</c>: its one-process reference
/// (<see cref="TrainerReferenceScenario"/>). Run under <c>mpirun -np 2</c>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.FirstOrDefault() == "train")
            return DistributedWorld.Run(world => // the recommended form: a failing rank aborts the job
            {
                TrainScenario.Run(world, TrainArguments.Parse(args[1..]));
                return 0;
            });
        if (args.FirstOrDefault() == "trainer")
            return DistributedWorld.Run(world =>
            {
                TrainerScenario.Run(world, TrainerArguments.Parse(args[1..]));
                return 0;
            });
        if (args.FirstOrDefault() == "trainer-reference")
        {
            TrainerReferenceScenario.Run(TrainerArguments.Parse(args[1..]));
            return 0;
        }
        using var world = DistributedWorld.Join();
        DistributedWorld.AbortOnUnhandledException(world);
        switch (args.FirstOrDefault())
        {
            case "basics":
                BasicsScenario.Run(world, args.Length == 3 && args[1] == "--out" ? args[2] : null);
                return 0;
            case "reference":
                var r = TrainArguments.Parse(args[1..]);
                ReferenceScenario.Run(r.Steps, r.Size, r.Out);
                return 0;
            case "crash":
                CrashScenario.Run(world);
                return 0;
            default:
                Console.Error.WriteLine("usage: Norton.Training.MpiHost basics [--out DIR] | crash | train --steps N --out DIR [--checkpoint FILE] [--resume] [--fail-rank R --fail-step S] [--bucket-floats N] | reference --steps N --size P --out DIR | trainer --steps N --out DIR [--resume] [--save-interval K] [--fail-rank R --fail-step S] | trainer-reference --steps N --size P --out DIR");
                return 2;
        }
    }
}
