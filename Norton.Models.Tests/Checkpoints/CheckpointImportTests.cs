using Norton.Models.Bert;
using Norton.Models.Checkpoints;
using Norton.Models.VideoClip;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.Checkpoints;

/// <summary>
/// Checkpoint import: the files of Fixtures/checkpoints (made by make_checkpoints.py and tools/export_checkpoint.py)
/// and corrupted variants made here.
/// </summary>
public sealed class CheckpointImportTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("norton-ckpt-").FullName;

    /// <summary>The tiny model of make_checkpoints.py.</summary>
    internal static VideoClipConfig Tiny { get; } = new(
        new BertConfig(30, 8, 1, 2, 16, 12), new BertConfig(30, 8, 2, 2, 16, 12), maxVideoLen: 4, inputDim: 6);

    internal static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "checkpoints", name);

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private string Temp(string name) => Path.Combine(_temp, name);

    [Fact]
    public void ExportedCheckpointLoadsStrictlyWithTheOriginalValues()
    {
        using var model = new VideoTextModel(Tiny);
        var report = CheckpointLoader.Load(model, FixturePath("exported_tiny.pt"));
        // The export drops the two position_ids buffers: they are the only keys left as they were.
        Assert.Equal(["text_encoder.embeddings.position_ids", "video_encoder.bert.embeddings.position_ids"], report.Missing.Order());
        Assert.Equal(model.state_dict().Count - 2, report.Loaded.Count);
        Assert.Empty(report.Unexpected);
        AssertModelEquals(model, CheckpointReader.ReadStateDict(FixturePath("expected_tiny.pt")));
    }

    [Fact]
    public void ExportedSafetensorsEqualsTheTorchFile()
    {
        var pt = CheckpointReader.ReadStateDict(FixturePath("exported_tiny.pt"));
        var st = CheckpointReader.ReadStateDict(FixturePath("exported_tiny.safetensors"));
        Assert.Equal(pt.Keys.Order(), st.Keys.Order());
        foreach (var (key, t) in pt)
            Assert.True(Same(t, st[key]), key);
        using var model = new VideoTextModel(Tiny);
        CheckpointLoader.Load(model, FixturePath("exported_tiny.safetensors"));
        AssertModelEquals(model, pt);
    }

    /// <summary>A fairseq file whose extra objects .NET can hold inertly (argparse.Namespace, dicts): the reader
    /// descends into "model", strips <c>mmmodel.</c>, and the loader upcasts the fp16 weights.</summary>
    [Fact]
    public void FairseqLayoutIsReadDirectly()
    {
        var raw = CheckpointReader.ReadStateDict(FixturePath("fairseq_like_tiny_no_numpy.pt"));
        Assert.All(raw.Keys, k => Assert.False(k.StartsWith("mmmodel.", StringComparison.Ordinal), k));
        Assert.Equal(ScalarType.Float16, raw["video_encoder.videomlp.linear1.weight"].dtype);
        Assert.Equal(ScalarType.Int64, raw["text_encoder.embeddings.position_ids"].dtype);

        using var model = new VideoTextModel(Tiny);
        var report = CheckpointLoader.Load(model, raw);
        Assert.Empty(report.Missing);
        Assert.Equal(model.state_dict().Count, report.Loaded.Count);
        Assert.Equal(ScalarType.Float32, model.state_dict()["video_encoder.videomlp.linear1.weight"].dtype);
        AssertModelEquals(model, CheckpointReader.ReadStateDict(FixturePath("expected_tiny.pt")));
    }

    /// <summary>A fairseq file with numpy objects (meters, scalars) is read directly, without the exporter.</summary>
    [Fact]
    public void FairseqFileWithNumpyObjectsIsReadDirectly()
    {
        using var model = new VideoTextModel(Tiny);
        var report = CheckpointLoader.Load(model, FixturePath("fairseq_like_tiny.pt"));
        Assert.Equal(model.state_dict().Count, report.Loaded.Count);
        AssertModelEquals(model, CheckpointReader.ReadStateDict(FixturePath("expected_tiny.pt")));
    }

    [Fact]
    public void SavePyRoundTripReproducesWeightsAndOutputs()
    {
        using var source = new VideoTextModel(FixtureConfigs.ReducedA);
        source.eval();
        source.save_py(Temp("a.pt"));
        using var target = new VideoTextModel(FixtureConfigs.ReducedA);
        target.eval();
        var report = CheckpointLoader.Load(target, Temp("a.pt"));
        Assert.Equal(target.state_dict().Count, report.Loaded.Count);

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var vfeats = randn(2, 8, 512);
        var vmasks = tensor(new[] { true, true, true, true, true, false, false, false, true, true, true, true, true, true, true, true }).reshape(2, 8);
        var caps = tensor(new long[] { 101, 102, 5, 6, 102, 0, 101, 102, 7, 102, 0, 0 }).reshape(2, 6);
        var cmasks = caps.ne(0);
        var a = source.forward(caps, cmasks, vfeats, vmasks);
        var b = target.forward(caps, cmasks, vfeats, vmasks);
        Assert.True(Same(a.Video.Pooled, b.Video.Pooled));
        Assert.True(Same(a.Text.Words!, b.Text.Words!));
    }

    [Fact]
    public void TruncatedTorchFileGivesAClearError()
    {
        byte[] bytes = File.ReadAllBytes(FixturePath("exported_tiny.pt"));
        File.WriteAllBytes(Temp("t.pt"), bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.ReadStateDict(Temp("t.pt")));
        Assert.Contains("truncated or corrupt", ex.Message);
        Assert.Contains(Temp("t.pt"), ex.Message);
    }

    [Fact]
    public void TruncatedSafetensorsGivesAClearError()
    {
        byte[] bytes = File.ReadAllBytes(FixturePath("exported_tiny.safetensors"));
        File.WriteAllBytes(Temp("t.safetensors"), bytes[..(bytes.Length - 100)]);
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.ReadStateDict(Temp("t.safetensors")));
        Assert.Contains("truncated", ex.Message);
        File.WriteAllBytes(Temp("h.safetensors"), bytes[..40]);
        ex = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.ReadStateDict(Temp("h.safetensors")));
        Assert.Contains("truncated", ex.Message);
    }

    [Theory]
    [InlineData("empty", "")]
    [InlineData("text", "model weights, honest")]
    public void FilesThatAreNoCheckpointGiveAClearError(string name, string content)
    {
        File.WriteAllText(Temp(name), content);
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.ReadStateDict(Temp(name)));
        Assert.Contains(Temp(name), ex.Message);
    }

    [Fact]
    public void ZipWithoutAPickleGivesAClearError()
    {
        using (var zip = System.IO.Compression.ZipFile.Open(Temp("z.pt"), System.IO.Compression.ZipArchiveMode.Create))
            zip.CreateEntry("archive/readme.txt");
        Assert.Throws<CheckpointFormatException>(() => CheckpointReader.ReadStateDict(Temp("z.pt")));
    }

    [Fact]
    public void PickleWithoutTensorsIsNotAStateDict()
    {
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.ReadStateDict(FixturePath("not_a_state_dict.pt")));
        Assert.Contains("not a flat state dict", ex.Message);
        Assert.Contains("weights", ex.Message);
    }

    [Fact]
    public void PickledWholeModuleIsRefused()
    {
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.ReadStateDict(FixturePath("whole_module.pt")));
        Assert.Contains("state dict", ex.Message);
    }

    /// <summary>The pre-1.6 (non-zip) torch.save format is read too.</summary>
    [Fact]
    public void LegacyFormatIsRead()
    {
        var sd = CheckpointReader.ReadStateDict(FixturePath("legacy_format.pt"));
        Assert.Equal(["w"], sd.Keys);
        Assert.Equal(new[] { 1f, 1f }, sd["w"].data<float>().ToArray());
    }

    [Fact]
    public void MissingFileIsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => CheckpointReader.ReadStateDict(Temp("nope.pt")));

    /// <summary>A checkpoint of another size: one exception lists every mismatch, and nothing is copied.</summary>
    [Fact]
    public void WrongShapesAreListedAndTheModuleIsUnchanged()
    {
        var otherVocab = new VideoClipConfig(new BertConfig(31, 8, 1, 2, 16, 12), new BertConfig(31, 8, 2, 2, 16, 12), 4, 6);
        using (var other = new VideoTextModel(otherVocab)) other.save_py(Temp("other.pt"));

        using var model = new VideoTextModel(Tiny);
        var before = model.state_dict()["text_encoder.encoder.layer.0.attention.self.query.weight"].clone();
        var ex = Assert.Throws<CheckpointMismatchException>(() => CheckpointLoader.Load(model, Temp("other.pt")));
        Assert.Equal(2, ex.Mismatched.Count);
        Assert.Contains(ex.Mismatched, m => m.StartsWith("video_encoder.bert.embeddings.word_embeddings.weight: checkpoint [31, 8]", StringComparison.Ordinal));
        Assert.Contains(ex.Mismatched, m => m.StartsWith("text_encoder.embeddings.word_embeddings.weight: checkpoint [31, 8]", StringComparison.Ordinal));
        Assert.Contains("module [30, 8]", ex.Message);
        Assert.Empty(ex.Missing);
        Assert.Empty(ex.Unexpected);
        // All or nothing: the keys that did fit were not copied either.
        Assert.True(Same(before, model.state_dict()["text_encoder.encoder.layer.0.attention.self.query.weight"]));
    }

    [Fact]
    public void MissingUnexpectedAndMismatchedKeysComeInOneException()
    {
        var sd = CheckpointReader.ReadStateDict(FixturePath("expected_tiny.pt"));
        sd.Remove("text_encoder.pooler.dense.bias");
        sd.Remove("video_encoder.videomlp.linear2.weight");
        sd["video_encoder.classifier.weight"] = zeros(779, 8);
        sd["text_encoder.embeddings.LayerNorm.weight"] = ones(9);
        sd["text_encoder.encoder.layer.0.output.dense.bias"] = ones(8, dtype: int64);

        using var model = new VideoTextModel(Tiny);
        var ex = Assert.Throws<CheckpointMismatchException>(() => CheckpointLoader.Load(model, sd));
        Assert.Equal(["text_encoder.pooler.dense.bias", "video_encoder.videomlp.linear2.weight"], ex.Missing.Order());
        Assert.Equal(["video_encoder.classifier.weight"], ex.Unexpected);
        Assert.Equal(2, ex.Mismatched.Count);
        Assert.Contains(ex.Mismatched, m => m.Contains("text_encoder.embeddings.LayerNorm.weight: checkpoint [9] Float32, module [8] Float32"));
        Assert.Contains(ex.Mismatched, m => m.Contains("text_encoder.encoder.layer.0.output.dense.bias: checkpoint [8] Int64"));
        foreach (string part in new[] { "2 missing keys", "1 unexpected keys", "2 shape/dtype mismatches" })
            Assert.Contains(part, ex.Message);
    }

    [Fact]
    public void NonStrictOptionsKeepTheOriginalLoadersSemantics()
    {
        var sd = CheckpointReader.ReadStateDict(FixturePath("expected_tiny.pt"));
        sd.Remove("text_encoder.pooler.dense.bias");
        sd["video_encoder.classifier.bias"] = zeros(779);
        using var model = new VideoTextModel(Tiny);
        var report = CheckpointLoader.Load(model, sd, new CheckpointLoadOptions(AllowMissing: true, AllowUnexpected: true));
        Assert.Contains("text_encoder.pooler.dense.bias", report.Missing);
        Assert.Equal(["video_encoder.classifier.bias"], report.Unexpected);
        Assert.True(Same(sd["video_encoder.videomlp.linear1.weight"], model.state_dict()["video_encoder.videomlp.linear1.weight"]));
    }

    [Fact]
    public void PrefixLoadsOneTowerAndSkipsTheOther()
    {
        var sd = CheckpointReader.ReadStateDict(FixturePath("expected_tiny.pt"));
        using var model = new VideoTextModel(Tiny);
        var report = CheckpointLoader.Load(model.TextEncoder, sd, new CheckpointLoadOptions(Prefix: "text_encoder."));
        Assert.All(report.Skipped, k => Assert.StartsWith("video_encoder.", k));
        Assert.Equal(sd.Keys.Count(k => k.StartsWith("video_encoder.", StringComparison.Ordinal)), report.Skipped.Count);
        Assert.True(Same(sd["text_encoder.pooler.dense.weight"], model.TextEncoder.state_dict()["pooler.dense.weight"]));
    }

    [Fact]
    public void Float16WeightsAreUpcast()
    {
        var sd = CheckpointReader.ReadStateDict(FixturePath("expected_tiny.pt"));
        var half = sd.ToDictionary(kv => kv.Key, kv => kv.Value.to(float16));
        PyTorchPickler.PickleStateDict(Temp("half.pt"), half);
        using var model = new VideoTextModel(Tiny);
        CheckpointLoader.Load(model, Temp("half.pt"));
        var w = model.state_dict()["text_encoder.encoder.layer.1.intermediate.dense.weight"];
        Assert.Equal(ScalarType.Float32, w.dtype);
        Assert.True(Same(w, half["text_encoder.encoder.layer.1.intermediate.dense.weight"].to(float32)));
    }

    private static bool Same(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();

    private static void AssertModelEquals(nn.Module model, Dictionary<string, Tensor> expected)
    {
        var actual = model.state_dict();
        foreach (var (key, value) in expected)
        {
            Assert.True(actual.ContainsKey(key), $"model has no {key}");
            Assert.True(Same(value.to(actual[key].dtype), actual[key]), $"{key} differs");
        }
    }
}
