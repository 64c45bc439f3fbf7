using Norton.Models.Text;
using Norton.TestSupport;
using TorchSharp;
using Xunit;

namespace Norton.Models.Tests.Text;

public class CaptionSequenceBuilderTests
{
    private const long Cls = 101, Sep = 102, Pad = 0;
    private static BertWordPieceTokenizer Tokenizer => BertWordPieceTokenizer.BertBaseUncased;

    // how2_pretrain (docs/original-model.md §0): max_video_len 16, max_len 48 -> Lc = 32, at most 29 word pieces.
    private static CaptionSequenceBuilder Pretrain => new(Tokenizer, maxVideoLength: 16, maxLength: 48);

    [Fact]
    public void SizesFollowTheConfig()
    {
        Assert.Equal((32, 29), (Pretrain.CaptionLength, Pretrain.MaxWordTokens));
        var evaluation = new CaptionSequenceBuilder(Tokenizer, 32, 96);
        Assert.Equal((64, 61), (evaluation.CaptionLength, evaluation.MaxWordTokens));
        var qa = new CaptionSequenceBuilder(Tokenizer, 16, 96);
        Assert.Equal((80, 77), (qa.CaptionLength, qa.MaxWordTokens));
    }

    [Fact]
    public void LaysOutClsVideoSepWordsSepThenPadding()
    {
        // "Hello world" -> hello 7592, world 2088; caps = [CLS] [SEP] 7592 2088 [SEP] then 27 [PAD]; n + 3 = 5 valid.
        var (caps, cmasks) = Pretrain.Build(new[] { "Hello world" });
        using (caps)
        using (cmasks)
        {
            Assert.Equal(new long[] { 1, 32 }, caps.shape);
            Assert.Equal(torch.ScalarType.Int64, caps.dtype);
            Assert.Equal(torch.ScalarType.Bool, cmasks.dtype);
            long[] expected = new long[] { Cls, Sep, 7592, 2088, Sep }.Concat(Enumerable.Repeat(Pad, 27)).ToArray();
            Assert.Equal(expected, caps.data<long>().ToArray());
            Assert.Equal(Enumerable.Range(0, 32).Select(i => i < 5).ToArray(), cmasks.data<bool>().ToArray());
        }
    }

    [Theory]
    [InlineData(28, 28)]
    [InlineData(29, 29)]
    [InlineData(30, 29)]
    [InlineData(45, 29)]
    public void KeepsTheFirstMaxWordTokensIds(int given, int kept)
    {
        int[] ids = Enumerable.Range(1000, given).ToArray();
        var (caps, cmasks) = Pretrain.BuildTextSequence(ids);
        using (caps)
        using (cmasks)
        {
            Assert.Equal(new long[] { 32 }, caps.shape);
            var expected = new long[32];
            expected[0] = Cls;
            expected[1] = Sep;
            for (int i = 0; i < kept; i++) expected[2 + i] = 1000 + i;
            expected[2 + kept] = Sep;
            Assert.Equal(expected, caps.data<long>().ToArray());
            Assert.Equal(Enumerable.Range(0, 32).Select(i => i < kept + 3).ToArray(), cmasks.data<bool>().ToArray());
        }
    }

    [Fact]
    public void EmptyCaptionKeepsThreeValidPositions()
    {
        var (caps, cmasks) = new CaptionSequenceBuilder(Tokenizer, 2, 8).Build(new[] { "", "  " });
        using (caps)
        using (cmasks)
        {
            long[] row = { Cls, Sep, Sep, Pad, Pad, Pad };
            Assert.Equal(row.Concat(row).ToArray(), caps.data<long>().ToArray());
            bool[] mask = { true, true, true, false, false, false };
            Assert.Equal(mask.Concat(mask).ToArray(), cmasks.data<bool>().ToArray());
        }
    }

    [Fact]
    public void SmallestLayoutHoldsNoWords()
    {
        // max_len - max_video_len = 3: [CLS] [SEP] [SEP], every word cut.
        var (caps, cmasks) = new CaptionSequenceBuilder(Tokenizer, 5, 8).Build(new[] { "a long caption" });
        using (caps)
        using (cmasks)
        {
            Assert.Equal(new[] { Cls, Sep, Sep }, caps.data<long>().ToArray());
            Assert.Equal(new[] { true, true, true }, cmasks.data<bool>().ToArray());
        }
    }

    [Fact]
    public void BatchesCaptionsRowByRow()
    {
        string[] captions = { "Add the chopped onions to the hot pan.", "stir", "" };
        var (caps, cmasks) = new CaptionSequenceBuilder(Tokenizer, 4, 16).Build(captions);
        using (caps)
        using (cmasks)
        {
            Assert.Equal(new long[] { 3, 12 }, caps.shape);
            Assert.Equal(new long[] { 3, 12 }, cmasks.shape);
            long[] flat = caps.data<long>().ToArray();
            // Row 0: 9 word pieces (MiniLM fixture sentence 1) = MaxWordTokens, so it fills the row.
            Assert.Equal(new long[] { Cls, Sep, 5587, 1996, 24881, 24444, 2000, 1996, 2980, 6090, 1012, Sep }, flat[..12]);
            Assert.Equal(new long[] { Cls, Sep, 16130, Sep, Pad, Pad, Pad, Pad, Pad, Pad, Pad, Pad }, flat[12..24]);
            Assert.Equal(new long[] { Cls, Sep, Sep, Pad, Pad, Pad, Pad, Pad, Pad, Pad, Pad, Pad }, flat[24..]);
            bool[] masks = cmasks.data<bool>().ToArray();
            Assert.Equal(new[] { 12, 4, 3 }, new[] { masks[..12].Count(m => m), masks[12..24].Count(m => m), masks[24..].Count(m => m) });
        }
    }

    public static TheoryData<string, int> VideoClipFixtures()
    {
        // (folder, max_video_len) of the VideoCLIP tower fixtures whose caps/cmasks follow the §1.1 layout.
        var data = new TheoryData<string, int>();
        foreach (string folder in Fixture.All("videoclip-text")) data.Add(folder, 0);
        foreach (string folder in Fixture.All("videoclip-video")) data.Add(folder, 8);
        return data;
    }

    [Theory]
    [MemberData(nameof(VideoClipFixtures))]
    public void RebuildsTheTowerFixtureCaptions(string folder, int maxVideoLength)
    {
        using var fx = Fixture.Load(folder);
        long batch = fx["caps"].shape[0], length = fx["caps"].shape[1];
        long[] caps = fx["caps"].data<long>().ToArray();
        bool[] cmasks = fx["cmasks"].data<bool>().ToArray();
        var builder = new CaptionSequenceBuilder(Tokenizer, maxVideoLength, maxVideoLength + (int)length);
        var words = new List<IReadOnlyList<int>>();
        var rows = new List<int>();
        for (int b = 0; b < batch; b++)
        {
            long[] row = caps[(int)(b * length)..(int)((b + 1) * length)];
            if (!cmasks[(int)(b * length)]) continue; // the dummy-caps row ([CLS] masked) is checked below
            int n = cmasks[(int)(b * length)..(int)((b + 1) * length)].Count(m => m) - 3;
            words.Add(row[2..(2 + n)].Select(id => (int)id).ToArray());
            rows.Add(b);
        }
        var (built, builtMasks) = builder.BuildFromIds(words);
        using (built)
        using (builtMasks)
        {
            long[] b1 = built.data<long>().ToArray();
            bool[] m1 = builtMasks.data<bool>().ToArray();
            for (int r = 0; r < rows.Count; r++)
            {
                int b = rows[r];
                Assert.Equal(caps[(int)(b * length)..(int)((b + 1) * length)], b1[(int)(r * length)..(int)((r + 1) * length)]);
                Assert.Equal(cmasks[(int)(b * length)..(int)((b + 1) * length)], m1[(int)(r * length)..(int)((r + 1) * length)]);
            }
        }
        // Rows with [CLS] masked hold the dummy caps [CLS, SEP, PAD, SEP] / [0, 1, 0, 1], padded with [PAD] / false.
        var (dummy, dummyMasks) = builder.BuildDummy(1);
        using (dummy)
        using (dummyMasks)
        {
            long[] expectedCaps = dummy.data<long>().ToArray().Concat(Enumerable.Repeat(Pad, (int)length - 4)).ToArray();
            bool[] expectedMasks = dummyMasks.data<bool>().ToArray().Concat(new bool[length - 4]).ToArray();
            for (int b = 0; b < batch; b++)
            {
                if (rows.Contains(b)) continue;
                Assert.Equal(expectedCaps, caps[(int)(b * length)..(int)((b + 1) * length)]);
                Assert.Equal(expectedMasks, cmasks[(int)(b * length)..(int)((b + 1) * length)]);
            }
        }
    }

    [Fact]
    public void DummyCaptionsMaskClsAndKeepBothSeps()
    {
        var (caps, cmasks) = Pretrain.BuildDummy(2);
        using (caps)
        using (cmasks)
        {
            Assert.Equal(new long[] { 2, 4 }, caps.shape);
            Assert.Equal(new[] { Cls, Sep, Pad, Sep, Cls, Sep, Pad, Sep }, caps.data<long>().ToArray());
            Assert.Equal(new[] { false, true, false, true, false, true, false, true }, cmasks.data<bool>().ToArray());
        }
    }

    [Fact]
    public void EmptyBatchGivesZeroRows()
    {
        var (caps, cmasks) = Pretrain.Build(Array.Empty<string>());
        using (caps)
        using (cmasks)
            Assert.Equal(new long[] { 0, 32 }, caps.shape);
    }

    [Theory]
    [InlineData(16, 18)]
    [InlineData(16, 16)]
    [InlineData(32, 8)]
    public void RejectsAMaxLengthWithoutRoomForTheSpecialTokens(int maxVideoLength, int maxLength)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CaptionSequenceBuilder(Tokenizer, maxVideoLength, maxLength));
        Assert.Equal("maxLength", e.ParamName);
        Assert.Contains($"but max_len {maxLength} - max_video_len {maxVideoLength} = {maxLength - maxVideoLength}", e.Message);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Equal("maxVideoLength", Assert.Throws<ArgumentOutOfRangeException>(() => new CaptionSequenceBuilder(Tokenizer, -1, 48)).ParamName);
        Assert.Equal("tokenizer", Assert.Throws<ArgumentNullException>(() => new CaptionSequenceBuilder(null!, 16, 48)).ParamName);
        Assert.Equal("captions", Assert.Throws<ArgumentNullException>(() => Pretrain.Build(null!)).ParamName);
        var nullCaption = Assert.Throws<ArgumentException>(() => Pretrain.Build(new[] { "ok", null! }));
        Assert.Equal("captions", nullCaption.ParamName);
        Assert.Contains("caption 1 of", nullCaption.Message);
        Assert.Equal("wordIds", Assert.Throws<ArgumentNullException>(() => Pretrain.BuildFromIds(new IReadOnlyList<int>[] { null! })).ParamName);
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => Pretrain.BuildDummy(-1)).ParamName);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(30522)]
    public void RejectsWordIdsOutsideTheVocabulary(int bad)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Pretrain.BuildFromIds(new[] { new[] { 7592 }, new[] { 2088, bad } }));
        Assert.Equal("wordIds", e.ParamName);
        Assert.Contains($"holds {bad} at position 1 of caption 1", e.Message);
    }
}
