using Norton.Models.Bert;
using Norton.Models.VideoClip;

namespace Norton.Models.Tests;

/// <summary>Model sizes of the parity fixtures (test-only; the library's public API has the original sizes only).</summary>
internal static class FixtureConfigs
{
    /// <summary>
    /// Config A of the parity fixtures: vocab 1000, hidden 64, 2 layers, 4 heads, FFN 128, 40 positions,
    /// <c>max_video_len</c> 8, input width 512; both towers alike.
    /// </summary>
    public static VideoClipConfig ReducedA { get; } = new(
        new BertConfig(1000, 64, 2, 4, 128, 40), new BertConfig(1000, 64, 2, 4, 128, 40), maxVideoLen: 8);
}
