using Norton.Models.Bert;
using Norton.Models.Checkpoints;
using Norton.Models.S3D;
using Norton.Models.Serialization;
using Norton.Models.VideoClip;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.Serialization;

/// <summary>torch.save files written by PyTorch 1.13 (testdata/readers), zip and legacy, read from C# alone.</summary>
public sealed class TorchCheckpointFileTests
{
    /// <summary>The tiny VideoTextModel of the fairseq fixture (vocab 30, hidden 8, 2 heads, FFN 16, 12 positions).</summary>
    private static readonly VideoClipConfig Tiny = new(
        new BertConfig(30, 8, 1, 2, 16, 12), new BertConfig(30, 8, 2, 2, 16, 12), maxVideoLen: 4, inputDim: 6);

    private static readonly Tensor Hundred = tensor(100f);

    private static Dictionary<object, object?> Dict(object? value) => Assert.IsType<Dictionary<object, object?>>(value);

    private static double[] Values(Tensor t) => t.to(ScalarType.Float64).contiguous().data<double>().ToArray();

    [Theory]
    [InlineData("all_dtypes_p4.pt", TorchFileFormat.Zip)]
    [InlineData("all_dtypes_legacy.pt", TorchFileFormat.Legacy)]
    public void EveryDtypeSharedStoragesAndViews(string file, TorchFileFormat format)
    {
        using var checkpoint = TorchCheckpointFile.Load(ReaderFixtures.Path(file));
        Assert.Equal(format, checkpoint.Format);
        var sd = checkpoint.StateDict();
        double[] arange = Enumerable.Range(0, 12).Select(i => (double)i).ToArray();
        foreach (var (name, type) in new[] { ("float16", ScalarType.Float16), ("bfloat16", ScalarType.BFloat16), ("float32", ScalarType.Float32),
                     ("float64", ScalarType.Float64), ("int8", ScalarType.Int8), ("int16", ScalarType.Int16), ("int32", ScalarType.Int32), ("int64", ScalarType.Int64) })
        {
            Assert.Equal(type, sd[name].dtype);
            Assert.Equal(new long[] { 3, 4 }, sd[name].shape);
            Assert.Equal(arange.Select(v => v - 5), Values(sd[name]));
        }
        Assert.Equal(arange, Values(sd["uint8"]));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i % 3 == 0), sd["bool"].contiguous().data<bool>().ToArray());
        Assert.Equal(ScalarType.ComplexFloat64, sd["complex128"].dtype);
        Assert.Equal(arange.Select(v => v * 2), Values(sd["complex128"].imag));
        Assert.Equal(arange.Select(v => -v), Values(sd["complex64"].imag));
        // shared[5:11].view(2, 3) and shared[:12].view(3, 4).t(): views of one storage, as torch.load gives them.
        Assert.Equal(new double[] { 5, 6, 7, 8, 9, 10 }, Values(sd["view_offset"]));
        Assert.Equal(new long[] { 4, 3 }, sd["view_transposed"].shape);
        Assert.Equal(new long[] { 1, 4 }, sd["view_transposed"].stride());
        Assert.Equal(new double[] { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }, Values(sd["view_transposed"]));
        using (no_grad()) sd["shared"][6].copy_(Hundred);
        Assert.Equal(100.0, Values(sd["view_offset"])[1]);
        Assert.Equal(100.0, Values(sd["view_transposed"])[7]);
        Assert.Empty(sd["scalar"].shape);
        Assert.Equal(3.5, sd["scalar"].item<double>());
        Assert.Equal(new long[] { 0, 3 }, sd["empty"].shape);
    }

    [Fact]
    public void ChunkedReadsGiveTheSameBytes()
    {
        int saved = ZipStore.ChunkBytes;
        try
        {
            ZipStore.ChunkBytes = 8;
            using var checkpoint = TorchCheckpointFile.Load(ReaderFixtures.Path("all_dtypes_p4.pt"));
            Assert.Equal(Enumerable.Range(0, 20).Select(i => (double)i), Values(checkpoint.StateDict()["shared"]));
            Assert.Equal(Enumerable.Range(0, 12).Select(i => 2.0 * i), Values(checkpoint.StateDict()["complex128"].imag));
        }
        finally
        {
            ZipStore.ChunkBytes = saved;
        }
    }

    [Theory]
    [InlineData("fairseq_tiny.pt")]
    [InlineData("fairseq_tiny_legacy.pt")]
    public void FairseqCheckpointKeepsItsConfigObjectsInert(string file)
    {
        using var checkpoint = TorchCheckpointFile.Load(ReaderFixtures.Path(file));
        var root = Dict(checkpoint.Root);
        var args = Assert.IsType<PickleObject>(root["args"]);
        Assert.Equal("argparse.Namespace", args.Callable.FullName);
        Assert.Equal("mmfusionseparate", args.Attributes!["arch"]);
        Assert.Equal(4L, args.Attributes["max_video_len"]);
        Assert.Equal(true, Dict(Dict(root["cfg"])["common"])["fp16"]);
        var history = Dict(Assert.IsType<List<object?>>(root["optimizer_history"])[0]);
        Assert.Equal(1.25, Dict(history["lr_scheduler_state"])["best"]);
        Assert.Equal(7L, history["num_updates"]);
        var extra = Dict(root["extra_state"]);
        Assert.Equal(new[] { 1.25f, 1.5f }, Assert.IsType<NumpyArray>(extra["best"]).ToArray<float>());
        var meters = Assert.IsType<PickleObject>(Assert.IsType<object?[]>(Assert.IsType<List<object?>>(Dict(extra["metrics"])["train"])[0])[2]);
        Assert.Equal("fairseq.logging.meters.MetersDict", meters.Callable.FullName);
        var loss = Assert.IsType<PickleObject>(meters.DictItems["loss"]);
        Assert.Equal("fairseq.logging.meters.AverageMeter", loss.Callable.FullName);
        Assert.Equal(17.5, loss.Attributes!["sum"]);
        Assert.Equal(8750.0, Assert.IsType<PickleObject>(meters.DictItems["wps"]).Attributes!["sum"]);
        var adam = Dict(Dict(Dict(root["last_optimizer_state"])["state"])[0L]);
        Assert.Equal(new double[] { 2, 3, 4, 5 }, Values(Assert.IsType<Tensor>(adam["exp_avg_sq"])));
        Assert.Equal(new object?[] { 0.9, 0.98 }, Dict(Assert.IsType<List<object?>>(Dict(root["last_optimizer_state"])["param_groups"])[0])["betas"]);

        var sd = checkpoint.StateDict();
        Assert.All(sd.Keys, k => Assert.StartsWith("mmmodel.", k));
        Assert.Equal(ScalarType.Float16, sd["mmmodel.video_encoder.videomlp.linear1.weight"].dtype);
    }

    /// <summary>checkpoint_best.pt-style files load into VideoTextModel directly: fp16 cast, prefix removed.</summary>
    [Theory]
    [InlineData("fairseq_tiny.pt")]
    [InlineData("fairseq_tiny_legacy.pt")]
    public void FairseqCheckpointLoadsIntoVideoTextModel(string file)
    {
        using var model = new VideoTextModel(Tiny);
        var report = CheckpointLoader.Load(model, ReaderFixtures.Path(file));
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        var state = model.state_dict();
        Assert.Equal(state.Count, report.Loaded.Count);
        foreach (var (key, value) in state)
        {
            if (key.EndsWith("position_ids", StringComparison.Ordinal))
            {
                Assert.Equal(Enumerable.Range(0, 12).Select(i => (double)i), Values(value));
                continue;
            }
            Assert.Equal(ScalarType.Float32, value.dtype);
            Assert.Equal(ReaderFixtures.Weight(key, value.numel()).Select(v => (double)v), Values(value));
        }
    }

    /// <summary>A legacy-format (pre-1.6) S3D-G state dict, like s3d_howto100m.pth, loads strictly into S3DG.</summary>
    [Fact]
    public void LegacyS3DFileLoadsIntoS3DG()
    {
        using var model = new S3DG();
        var report = CheckpointLoader.Load(model, ReaderFixtures.Path("s3dg_legacy.pth"));
        var state = model.state_dict();
        Assert.Equal(state.Count, report.Loaded.Count);
        Assert.Empty(report.Missing);
        // The script's formula: w(key)[idx] = base[crc32(key) % 1000 + sum(idx)], base[i] = ((37 i % 101) - 50) / 64.
        using var scope = NewDisposeScope();
        var baseValues = tensor(Enumerable.Range(0, 4096).Select(i => (i * 37 % 101 - 50) / 64f).ToArray());
        var counts = tensor(Enumerable.Range(0, 64).Select(i => 3L * i).ToArray());
        foreach (var (key, value) in state)
        {
            bool isCount = key.EndsWith("num_batches_tracked", StringComparison.Ordinal);
            long offset = ReaderFixtures.Crc(key) % (isCount ? 50u : 1000u);
            var expected = (isCount ? counts : baseValues).as_strided(value.shape, value.shape.Select(_ => 1L).ToArray(), offset);
            Assert.True(expected.eq(value).all().item<bool>(), key);
        }
    }

    [Fact]
    public void AFlippedBitInTheWeightsIsACrcError()
    {
        byte[] bytes = File.ReadAllBytes(ReaderFixtures.Path("fairseq_tiny.pt"));
        // The first storage record: the bytes after the local header named ".../data/0" (every storage has ≥ 16 bytes).
        int name = IndexOf(bytes, "fairseq_tiny/data/0"u8.ToArray());
        Assert.True(name > 0);
        int data = name + "fairseq_tiny/data/0".Length + BitConverter.ToUInt16(bytes, name - 2);
        var rng = new Random(12);
        using var dir = new Data.TempFolder();
        for (int k = 0; k < 200; k++)
        {
            var copy = (byte[])bytes.Clone();
            copy[data + rng.Next(16)] ^= (byte)(1 << rng.Next(8));
            string path = dir.Write("flip.pt", copy);
            var e = Assert.Throws<SerializedDataException>(() => TorchCheckpointFile.Load(path).Dispose());
            Assert.Contains("CRC-32", e.Message);
        }
    }

    [Fact]
    public void NpzArchivesReadBackExactly()
    {
        foreach (string file in new[] { "arrays.npz", "arrays_compressed.npz" })
        {
            var arrays = NpzFile.Read(ReaderFixtures.Path(file));
            Assert.Equal(["weights", "ids", "half", "flags", "names"], arrays.Keys);
            Assert.Equal(new long[] { 3, 4 }, arrays["weights"].Shape);
            Assert.Equal(Enumerable.Range(0, 12).Select(k => k / 8f - 0.75f), arrays["weights"].ToArray<float>());
            Assert.Equal(Enumerable.Range(0, 12).Select(k => (long)k), arrays["ids"].ToArray<long>());
            Assert.Equal(Enumerable.Range(0, 12).Select(k => (Half)(k / 4.0)), arrays["half"].ToArray<Half>());
            Assert.Equal(Enumerable.Range(0, 12).Select(k => k % 2 == 1), arrays["flags"].ToArray<bool>());
            Assert.Equal(new[] { "a", "bc", "def" }, arrays["names"].ToStrings());
        }
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        return -1;
    }
}
