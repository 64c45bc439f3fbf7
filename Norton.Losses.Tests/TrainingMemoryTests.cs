using Norton.Core.Features;
using Norton.TestSupport;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;
using static Norton.Losses.Tests.TestData;

namespace Norton.Losses.Tests;

/// <summary>Runs alone: it reads the process's resident memory, which parallel tests would disturb.</summary>
[CollectionDefinition(nameof(MemoryCollection), DisableParallelization = true)]
public class MemoryCollection { }

[Collection(nameof(MemoryCollection))]
public class TrainingMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void ThousandTrainingStepsKeepLiveTensorsAndMemoryFlat()
    {
        var gen = new Generator().manual_seed(21);
        long n = 8, d = 8, words = 5, frames = 4;
        var videoIn = randn([n, frames, d], generator: gen);
        var textIn = randn([n, words, d], generator: gen);
        var vm = Mask(gen, n, frames, MaskLayout.Model);
        var tm = Mask(gen, n, words, MaskLayout.Model);
        var videoTower = nn.Linear(d, d);
        var textTower = nn.Linear(d, d);
        using var loss = new NortonLoss(new NortonLossOptions { Length = 4, SinkhornIterations = 10, TrainLogitScale = true });
        var parameters = videoTower.parameters().Concat(textTower.parameters()).Concat(loss.parameters()).ToList();
        using var optimizer = optim.SGD(parameters, 0.01);

        double last = 0;
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var fv = videoTower.forward(videoIn);
            var ft = textTower.forward(textIn);
            using var o = loss.forward(new VideoFeatures(fv.mean([1L]), fv, vm), new TextFeatures(ft.mean([1L]), ft, tm));
            o.Loss.backward();
            optimizer.step();
            last = o.Loss.item<float>();
        }

        // Warm-up: JIT tiers and the allocators settle during the first few hundred steps.
        for (int i = 0; i < 300; i++) Step();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long rssBefore = ProcessMemory.ResidentBytes();
        for (int i = 0; i < 1000; i++) Step();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long liveAfter = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long rssAfter = ProcessMemory.ResidentBytes();
        output.WriteLine($"live tensors {liveBefore} -> {liveAfter}; resident {rssBefore / 1e6:F1} -> {rssAfter / 1e6:F1} MB; last loss {last}");

        Assert.True(double.IsFinite(last));
        Assert.Equal(liveBefore, liveAfter);
        if (rssBefore > 0)
            Assert.True(rssAfter - rssBefore < 16L << 20, $"resident memory grew by {(rssAfter - rssBefore) / 1e6:F1} MB over 1000 steps");
    }
}
