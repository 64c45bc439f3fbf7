using Norton.Models.S3D;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.S3D;

/// <summary>Forward passes leave no tensor alive beyond what they return (dispose-scope statistics of this thread).</summary>
public class S3DMemoryTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void VideoForwardLeavesOnlyItsResult(bool diagnostics)
    {
        using var model = new S3DG();
        model.eval();
        using var noGrad = no_grad();
        using var x = rand(new long[] { 1, 3, 4, 8, 8 });
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var result = model.forward(x, diagnostics);
        long returned = 2 + result.Stages.Count;
        Assert.Equal(before + returned, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        result.Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.False(x.IsInvalid, "the input must not be disposed");
    }

    [Fact]
    public void TextForwardLeavesOnlyItsResult()
    {
        using var model = new SentenceEmbedding(numEmbeddings: 10, embeddingDim: 4, wordEmbeddingDim: 3, outputDim: 5);
        var tokenizer = new S3DWordTokenizer(new[] { "a", "b" });
        using var noGrad = no_grad();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var output = model.EmbedSentences(new[] { "a b", "c" }, tokenizer);
        Assert.Equal(before + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        output.Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
