using Norton.Models.Data;
using Xunit;

namespace Norton.Models.Tests.Data;

public class CaptionJsonTests
{
    [Fact]
    public void ReadsSentencifiedCaptionsJson()
    {
        using var dir = new TempFolder();
        string path = dir.WriteText("sentencified_htm_1200k.json", """
            {"abc": {"start": [0, 2.5], "end": [2.5, 4], "text": ["first", null], "extra": 1},
             "xyz": {"start": [], "end": [], "text": []}}
            """);
        var captions = SentencifiedCaptions.Read(path);
        Assert.Equal(2, captions["abc"].Count);
        Assert.Equal(new[] { 0, 2.5 }, captions["abc"].Start);
        Assert.Equal(new[] { "first", "" }, captions["abc"].Text);
        Assert.Equal(0, captions["xyz"].Count);
    }

    [Fact]
    public void RejectsMalformedCaptionJson()
    {
        using var dir = new TempFolder();
        string uneven = dir.WriteText("u.json", """{"abc": {"start": [0, 1], "end": [1], "text": ["a", "b"]}}""");
        string message = Assert.Throws<InvalidDataException>(() => SentencifiedCaptions.ReadJson(uneven)).Message;
        Assert.Contains("u.json: video abc: 2 starts, 1 ends and 2 texts", message);
        string missing = dir.WriteText("m.json", """{"abc": {"start": [0]}}""");
        Assert.Contains("\"text\"", Assert.Throws<InvalidDataException>(() => SentencifiedCaptions.ReadJson(missing)).Message);
        string broken = dir.WriteText("b.json", """{"abc": {"start": [0""");
        Assert.Contains("b.json", Assert.Throws<InvalidDataException>(() => SentencifiedCaptions.ReadJson(broken)).Message);
    }
}
