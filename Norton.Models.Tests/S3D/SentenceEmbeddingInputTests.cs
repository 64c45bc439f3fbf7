using Norton.Models.S3D;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.S3D;

/// <summary>Bad word ids fail with an ArgumentException instead of a native index error.</summary>
public class SentenceEmbeddingInputTests
{
    private static SentenceEmbedding Small() => new(numEmbeddings: 10, embeddingDim: 4, wordEmbeddingDim: 3, outputDim: 5);

    [Fact]
    public void IdOutsideTheTableThrows()
    {
        using var model = Small();
        using var ids = tensor(new long[] { 0, 3, 10, 1 }).reshape(2, 2);
        var e = Assert.Throws<ArgumentException>(() => model.forward(ids));
        Assert.Contains("[0, 10)", e.Message);
        Assert.Contains("to 10", e.Message);
        using var negative = tensor(new long[] { -1, 3 }).reshape(1, 2);
        Assert.Throws<ArgumentException>(() => model.forward(negative));
    }

    [Fact]
    public void WrongRankOrDtypeThrows()
    {
        using var model = Small();
        using var rank1 = zeros(new long[] { 16 }, ScalarType.Int64);
        Assert.Contains("[16]", Assert.Throws<ArgumentException>(() => model.forward(rank1)).Message);
        using var noSlots = zeros(new long[] { 2, 0 }, ScalarType.Int64);
        Assert.Contains("L >= 1", Assert.Throws<ArgumentException>(() => model.forward(noSlots)).Message);
        using var floats = zeros(new long[] { 2, 16 }, ScalarType.Float32);
        Assert.Contains("Float32", Assert.Throws<ArgumentException>(() => model.forward(floats)).Message);
    }

    [Fact]
    public void PadRowTakesPartInTheMax()
    {
        // No padding_idx: all-zero ids embed row 0 in every slot, so the result is fc2(relu(fc1(row 0))).
        using var model = Small();
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ids = zeros(new long[] { 1, 16 }, ScalarType.Int64);
        var row0 = model.word_embd.weight![TensorIndex.Slice(0, 1)];
        var expected = model.fc2.forward(model.fc1.forward(row0).relu());
        Assert.Equal(expected.data<float>().ToArray(), model.forward(ids).data<float>().ToArray());
    }

    [Fact]
    public void LoadingAFileWithoutTextModuleKeysThrows()
    {
        string path = Path.Combine(Path.GetTempPath(), $"s3d-no-text-{Guid.NewGuid():N}.pt");
        try
        {
            using (var other = nn.Linear(2, 2))
                TorchSharp.PyBridge.PyBridgeModuleExtensions.save_py(other, path);
            using var model = Small();
            var e = Assert.Throws<InvalidDataException>(() => model.LoadFromS3DCheckpoint(path));
            Assert.Contains("text_module.", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
