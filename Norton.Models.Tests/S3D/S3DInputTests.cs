using Norton.Models.S3D;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.S3D;

/// <summary>Bad input to S3D-G fails early with an ArgumentException naming what came; small inputs still run.</summary>
public class S3DInputTests : IClassFixture<S3DInputTests.Network>
{
    /// <summary>One randomly initialised network shared by the tests of this class.</summary>
    public sealed class Network : IDisposable
    {
        public Network()
        {
            Model = new S3DG();
            Model.eval();
        }

        public S3DG Model { get; }

        public void Dispose() => Model.Dispose();
    }

    private readonly S3DG _model;

    public S3DInputTests(Network network) => _model = network.Model;

    [Theory]
    [InlineData(new long[] { 3, 8, 16, 16 }, "rank-5")]
    [InlineData(new long[] { 1, 1, 3, 8, 16, 16 }, "rank-5")]
    [InlineData(new long[] { 1, 4, 8, 16, 16 }, "3 (RGB) channels")]
    [InlineData(new long[] { 1, 1, 8, 16, 16 }, "3 (RGB) channels")]
    [InlineData(new long[] { 0, 3, 8, 16, 16 }, "N >= 1")]
    [InlineData(new long[] { 1, 3, 7, 16, 16 }, "T = 7")]
    [InlineData(new long[] { 1, 3, 8, 15, 16 }, "H = 15")]
    [InlineData(new long[] { 1, 3, 8, 16, 17 }, "W = 17")]
    [InlineData(new long[] { 1, 3, 0, 16, 16 }, "T = 0")]
    public void BadShapeThrows(long[] shape, string messagePart)
    {
        using var x = zeros(shape);
        var e = Assert.Throws<ArgumentException>(() => _model.forward(x));
        Assert.Equal("input", e.ParamName);
        Assert.Contains(messagePart, e.Message);
        Assert.Contains($"[{string.Join(", ", shape)}]", e.Message);
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Int64)]
    [InlineData(ScalarType.Byte)]
    public void DtypeUnlikeTheWeightsThrows(ScalarType dtype)
    {
        using var x = zeros(new long[] { 1, 3, 2, 2, 2 }, dtype);
        var e = Assert.Throws<ArgumentException>(() => _model.forward(x));
        Assert.Contains(dtype.ToString(), e.Message);
        Assert.Contains("Float32", e.Message);
    }

    [Fact]
    public void SpaceToDepthRejectsOddSizes()
    {
        using var x = zeros(new long[] { 1, 3, 2, 3, 2 });
        var e = Assert.Throws<ArgumentException>(() => SpaceToDepth.Apply(x));
        Assert.Contains("H=3", e.Message);
    }

    [Fact]
    public void SmallestInputRunsAndGivesTheDocumentedShapes()
    {
        // README: any even T >= 2 and H, W >= 2 runs, because the final pooling is a plain mean.
        using var noGrad = no_grad();
        using var x = rand(new long[] { 2, 3, 2, 2, 2 });
        using var result = _model.forward(x);
        Assert.Equal(new long[] { 2, 512 }, result.VideoEmbedding.shape);
        Assert.Equal(new long[] { 2, 1024 }, result.Mixed5c.shape);
        Assert.Empty(result.Stages);
        Assert.True(result.VideoEmbedding.isfinite().all().item<bool>());
    }
}
