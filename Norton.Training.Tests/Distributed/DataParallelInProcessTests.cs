using Norton.TestSupport;
using Norton.Training.Distributed;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Training.Tests.Distributed;

/// <summary><see cref="DataParallel"/> against a stand-in for a second rank, so its bookkeeping (buckets, the
/// has-gradient flags, the division) is checked without MPI.</summary>
public sealed class DataParallelInProcessTests
{
    public DataParallelInProcessTests() => TestEnvironment.Initialize();

    [Fact]
    public void AveragedGradients_AreMinePlusTheOtherRanksOverTwo_InEveryBucket()
    {
        using var model = nn.Sequential(("a", nn.Linear(3, 4)), ("b", nn.Linear(4, 2)));
        var grads = SetGradients(model, offset: 0f);
        // Buckets of >= 10 floats: {a.weight: 12}, {a.bias: 4, b.weight: 8}, {b.bias: 2}, each followed by one
        // has-gradient flag per parameter. The other rank holds gradients 100 larger, and all its flags are set.
        var flagsPerBucket = new Queue<int>([1, 2, 1]);
        var other = new TwoRankStandIn(values =>
        {
            int flags = flagsPerBucket.Dequeue();
            for (int i = 0; i < values.Length; i++) values[i] += i < values.Length - flags ? values[i] + 100f : 1f;
        });
        using var parallel = new DataParallel(other, model, bucketFloats: 10);
        Assert.Equal(3, parallel.BucketCount);
        Assert.Equal(3 * 4 + 4 + 4 * 2 + 2, parallel.TrainedFloats);
        parallel.AverageGradients();
        Assert.Empty(flagsPerBucket);
        var after = model.parameters().Select(p => p.grad!.data<float>().ToArray()).ToList();
        for (int k = 0; k < grads.Count; k++)
            Assert.Equal(grads[k].Select(g => (g + g + 100f) / 2f), after[k]);
    }

    [Fact]
    public void Float64Parameters_TravelInABucketOfTheirOwn_AndAreAveragedInFloat64()
    {
        using var model = nn.Sequential(("a", nn.Linear(2, 1)));
        var grads = SetGradients(model, offset: 0f);
        using var scale = new Parameter(tensor(new[] { 0.5, 1.5 }));
        using (var scope = NewDisposeScope())
            (scale * tensor(new[] { 0.1, 1e-9 })).sum().backward();
        var flagsPerBucket = new Queue<int>([2, 1]); // {a.weight, a.bias} float32, {logit_scale} float64
        var other = new TwoRankStandIn(values =>
        {
            int flags = flagsPerBucket.Dequeue();
            for (int i = 0; i < values.Length; i++) values[i] += i < values.Length - flags ? values[i] + 100f : 1f;
        }, values =>
        {
            int flags = flagsPerBucket.Dequeue();
            for (int i = 0; i < values.Length; i++) values[i] += i < values.Length - flags ? values[i] : 1.0;
        });
        using var parallel = new DataParallel(other,
            model.named_parameters().Select(p => (p.name, p.parameter)).Append(("logit_scale", (Parameter)scale)));
        Assert.Equal(2, parallel.BucketCount);
        Assert.Equal(3 * 4 + 2 * 8, parallel.BytesPerUpdate);
        parallel.AverageGradients();
        Assert.Empty(flagsPerBucket);
        Assert.Equal(grads[0].Select(g => g + 50f), model.parameters().First().grad!.data<float>().ToArray());
        Assert.Equal([0.1, 1e-9], scale.grad!.data<double>().ToArray()); // 1e-9 survives: no float32 round trip
    }

    [Fact]
    public void AParameterWithAGradientOnOneRankOnly_IsAClearError()
    {
        using var model = nn.Sequential(("a", nn.Linear(2, 2)));
        SetGradients(model, offset: 0f);
        var other = new TwoRankStandIn(_ => { }); // the other rank adds nothing: no gradient (flag 0) anywhere
        using var parallel = new DataParallel(other, model);
        var e = Assert.Throws<InvalidOperationException>(parallel.AverageGradients);
        Assert.Contains("has a gradient on 1 of 2 ranks", e.Message);
        Assert.Contains("'a.weight'", e.Message);
    }

    [Fact]
    public void AWorldOfOne_LeavesGradientsAsTheyAre()
    {
        using var model = nn.Sequential(("a", nn.Linear(2, 2)));
        var grads = SetGradients(model, offset: 3f);
        using var parallel = new DataParallel(SingleProcessCommunicator.Instance, model);
        parallel.AverageGradients();
        Assert.Equal(grads, model.parameters().Select(p => p.grad!.data<float>().ToArray()).ToList());
    }

    // Gradients 1 + offset, 2 + offset, … over all parameters, set by a backward pass of a linear form.
    private static List<float[]> SetGradients(nn.Module model, float offset)
    {
        using var scope = NewDisposeScope();
        float next = 1f + offset;
        var targets = new List<float[]>();
        Tensor? total = null;
        foreach (var p in model.parameters())
        {
            var g = Enumerable.Range(0, (int)p.numel()).Select(_ => next++).ToArray();
            targets.Add(g);
            var term = (p * tensor(g).reshape(p.shape)).sum();
            total = total is null ? term : total.add(term, OneScalar);
        }
        total!.backward();
        return targets;
    }

    private static readonly Scalar OneScalar = 1.0;

    private sealed class TwoRankStandIn(SpanAction add, DoubleSpanAction? addDoubles = null) : ICommunicator
    {
        public int Rank => 0;
        public int Size => 2;
        public int LocalRank => 0;
        public void Barrier() { }
        public void Broadcast<T>(Span<T> buffer, int root = 0) where T : unmanaged { }
        public void AllReduceSum(Span<float> buffer) => add(buffer);
        public void AllReduceSum(Span<double> buffer) => (addDoubles ?? throw new NotSupportedException())(buffer);
        public T[] AllGather<T>(ReadOnlySpan<T> mine) where T : unmanaged => throw new NotSupportedException();
        public T[] AllGatherVariable<T>(ReadOnlySpan<T> mine, out int[] counts) where T : unmanaged => throw new NotSupportedException();
        public void Abort(int exitCode) => throw new NotSupportedException();
        public void Dispose() { }
    }

    private delegate void SpanAction(Span<float> values);

    private delegate void DoubleSpanAction(Span<double> values);
}
