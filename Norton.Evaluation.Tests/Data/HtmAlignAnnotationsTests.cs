using Norton.Evaluation.Data;
using Xunit;

namespace Norton.Evaluation.Tests.Data;

public class HtmAlignAnnotationsTests
{
    [Fact]
    public void ReadsHtmAlignSortedById()
    {
        using var dir = new TempFolder();
        string path = dir.WriteText("htm_align.json", """
            {"zz": [[1, 3.5, 7, "cut the onion"], [0, 8, 9.5, "so yeah"]],
             "aa": [[0, 0, 2, "hi"]]}
            """);
        var videos = HtmAlignAnnotations.Read(path);
        Assert.Equal(new[] { "aa", "zz" }, videos.Select(v => v.VideoId));
        Assert.Equal(new HtmAlignSegment(true, 3.5, 7, "cut the onion"), videos[1].Segments[0]);
        Assert.False(videos[1].Segments[1].Alignable);

        string bad = dir.WriteText("bad.json", """{"aa": [[0, 0, "two"]]}""");
        Assert.Contains("video aa, entry 0", Assert.Throws<InvalidDataException>(() => HtmAlignAnnotations.Read(bad)).Message);
    }
}
