namespace Norton.Training.Tests.Extraction;

/// <summary>Short videos made by ffmpeg once per test class, in a temporary folder deleted afterwards.</summary>
public sealed class TestVideos : IDisposable
{
    public TestVideos()
    {
        Directory.CreateDirectory(Folder);
        Ffmpeg.MakeTestVideo(Landscape, 320, 240, 25, 1.0);
        Ffmpeg.MakeTestVideo(Portrait, 180, 320, 60, 1.5);
        Ffmpeg.MakeTestVideo(Short, 200, 148, 25, 0.4, codec: "ffv1");
        Ffmpeg.MakeTestVideo(Square, 256, 256, 60, 1.0);
        File.WriteAllText(NotAVideo, "this is plain text, not a video\n");
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "norton-extract-" + Guid.NewGuid().ToString("N"));

    /// <summary>320x240, 25 fps, 1 s, H.264.</summary>
    public string Landscape => Path.Combine(Folder, "landscape.mp4");

    /// <summary>180x320 (portrait), 60 fps, 1.5 s, H.264.</summary>
    public string Portrait => Path.Combine(Folder, "portrait.mp4");

    /// <summary>200x148, 25 fps, 0.4 s, FFV1 in Matroska.</summary>
    public string Short => Path.Combine(Folder, "short.mkv");

    /// <summary>256x256, 60 fps, 1 s, H.264.</summary>
    public string Square => Path.Combine(Folder, "square.mp4");

    /// <summary>A text file named like a video.</summary>
    public string NotAVideo => Path.Combine(Folder, "notavideo.mp4");

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
