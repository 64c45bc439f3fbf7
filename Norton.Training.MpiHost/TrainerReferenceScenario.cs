using Norton.Core.Features;
using Norton.Losses;
using Norton.Models;
using Norton.Training.Distributed;
using Norton.Training.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Training.MpiHost;

/// <summary>
/// <c>trainer-reference --steps N --size P --out DIR</c>: what the <c>trainer</c> scenario under P ranks must
/// reproduce, in one process and without MPI or NortonTrainer's data-parallel code (the reference the original's DDP
/// defines). Per epoch it builds the shared plan as documented (each rank's share planned with its own source, the
/// lists concatenated in rank order, shuffled with the epoch's seed); at each step it computes the gradients of the P
/// batches <c>step · P + r</c> separately, each from the same dropout generator state (every rank's generator is in
/// the same state), averages them, clips and takes one Adam step. Writes <c>DIR/reference-update{u}.f32</c>.
/// </summary>
public static class TrainerReferenceScenario
{
    private static readonly Scalar One = 1.0.ToScalar();

    public static void Run(TrainerArguments a)
    {
        Directory.CreateDirectory(a.Out);
        torch.set_num_threads(1); // the same summation order in the ranks and the reference, whatever the cores
        var options = TinyTrainer.Options(Path.Combine(a.Out, "reference-run"), a.Steps, 0);
        var data = TinyTrainer.Data();
        torch.random.manual_seed(unchecked((long)options.Seed));
        using var model = new VideoTextModel(options.Model);
        model.UseLayerNormOnly();
        model.train();
        using var loss = new NortonLoss(options.Loss);
        var trained = model.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = new TrainerOptimizer(trained, options);
        var schedule = options.Schedule();
        using var size = ((double)a.Size).ToScalar();
        long update = 0;
        for (int epoch = 1; update < a.Steps; epoch++)
        {
            var gathered = new List<IReadOnlyList<string>>();
            for (int r = 0; r < a.Size; r++)
                gathered.AddRange(data.PlanShare(epoch, false, model, new SplitMix64(DataShare.RankSeed(options.Seed, epoch, r)), r, a.Size));
            var plan = DataShare.Shuffled(gathered, DataShare.EpochSeed(options.Seed, epoch));
            for (int step = 0; step < plan.Count / a.Size && update < a.Steps; step++)
            {
                using var scope = NewDisposeScope();
                var sums = new Tensor?[trained.Count];
                using var generator = torch.Generator.Default.get_state();
                for (int r = 0; r < a.Size; r++)
                {
                    torch.Generator.Default.set_state(generator);
                    int index = step * a.Size + r;
                    optimizer.ZeroGrad();
                    var batch = data.LoadBatch(plan[index], new SplitMix64(NortonTrainer.BatchSeed(options.Seed, epoch, index)));
                    using var inputs = BatchTensors.From(batch, options.Model.InputDim, CPU, ScalarType.Float32);
                    using var output = model.forward(inputs.Caps, inputs.CapsMask, inputs.VideoFeatures, inputs.VideoMask);
                    var (video, text) = output.ToLossInputs();
                    using var value = loss.forward(video, text, diagnostics: true); // as the trainer on its log steps (LogInterval 1)
                    value.Loss.backward();
                    for (int k = 0; k < trained.Count; k++)
                        if (trained[k].grad is Tensor g) sums[k] = sums[k] is null ? g.clone() : sums[k]!.add(g, One);
                }
                using (no_grad())
                    for (int k = 0; k < trained.Count; k++)
                        trained[k].grad = sums[k]?.div(size).DetachFromDisposeScope();
                double lr = schedule.LearningRate(update);
                optimizer.PrepareGradients(1.0, options.ClipNorm);
                optimizer.Step(lr);
                update++;
                TinyTrainer.WriteFloats(Path.Combine(a.Out, $"reference-update{update}.f32"), TinyTrainer.Flatten(model));
            }
        }
    }
}
