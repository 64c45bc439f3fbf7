using System.Text.Json;
using Norton.Evaluation.Metrics;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Evaluation.Tests.Metrics;

/// <summary>
/// Against scores and recalls computed by the original metric code (Fixtures/make_reference.py): random
/// similarities, so every padding and cropping path of §5.3 and §5.4 is met, plus tied retrieval rows.
/// </summary>
public class OriginalMetricParityTests
{
    private static readonly JsonElement[] Cases = LoadCases();

    public static TheoryData<int> CaseIndices(string kind)
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Cases.Length; i++)
            if (Cases[i].GetProperty("kind").GetString() == kind) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIndices), "full_video")]
    public void FullVideoRetrievalMatchesTheOriginal(int index)
    {
        JsonElement c = Cases[index];
        var layout = ParagraphLayout.FromSegmentVideoIds(Strings(c.GetProperty("segment_video_ids")));
        AssertCase(c, layout, ParagraphRetrieval.WithBackground);
    }

    [Theory]
    [MemberData(nameof(CaseIndices), "background_removed")]
    public void BackgroundRemovedRetrievalMatchesTheOriginal(int index)
    {
        JsonElement c = Cases[index];
        var layout = ParagraphLayout.FromVideoIds(
            Strings(c.GetProperty("video_ids")), Ints(c.GetProperty("caption_counts")), Ints(c.GetProperty("clip_counts")));
        AssertCase(c, layout, ParagraphRetrieval.BackgroundRemoved);
    }

    [Theory]
    [MemberData(nameof(CaseIndices), "retrieval")]
    public void TextToVideoRetrievalMatchesTheOriginalWithTies(int index)
    {
        JsonElement c = Cases[index];
        using var s = Matrix(c.GetProperty("similarity"));
        double[] expected = c.GetProperty("metrics").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var r = TextToVideoRetrieval.Evaluate(s);
        Assert.Equal(expected, new[] { r.R1, r.R5, r.R10, r.MedianRank });
    }

    private static void AssertCase(JsonElement c, ParagraphLayout layout, IReadOnlyList<IParagraphScorer> scorers)
    {
        using var s = Matrix(c.GetProperty("similarity"));
        var results = ParagraphRetrieval.Evaluate(s, layout, scorers);
        string[] recallKeys = { "", "DTW-", "OTAM-" };
        for (int i = 0; i < results.Count; i++)
        {
            var r = results[i];
            double[,] expected = Rows(c.GetProperty("scores").GetProperty(r.Scorer));
            Assert.Equal(expected.GetLength(0), r.Scores.GetLength(0));
            for (int p = 0; p < expected.GetLength(0); p++)
                for (int v = 0; v < expected.GetLength(1); v++)
                {
                    double e = expected[p, v], a = r.Scores[p, v];
                    // Same float32 operations in the same order; allow a few ulps for the mean and the DP sums.
                    Assert.True(Math.Abs(a - e) <= 1e-5 * Math.Max(1, Math.Abs(e)), $"{r.Scorer}[{p},{v}] = {a}, original {e}");
                }
            double[] recall = c.GetProperty("recall").GetProperty(recallKeys[i]).EnumerateArray().Select(x => x.GetDouble()).ToArray();
            Assert.Equal(recall, new[] { r.R1, r.R5, r.R10 });
        }
    }

    private static JsonElement[] LoadCases()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Metrics", "Fixtures", "reference_metrics.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    private static Tensor Matrix(JsonElement rows)
    {
        double[,] m = Rows(rows);
        var f = new float[m.GetLength(0), m.GetLength(1)];
        for (int r = 0; r < f.GetLength(0); r++)
            for (int k = 0; k < f.GetLength(1); k++)
                f[r, k] = (float)m[r, k];
        return tensor(f);
    }

    private static double[,] Rows(JsonElement rows)
    {
        double[][] jagged = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray();
        var m = new double[jagged.Length, jagged[0].Length];
        for (int r = 0; r < jagged.Length; r++)
            for (int k = 0; k < jagged[r].Length; k++)
                m[r, k] = jagged[r][k];
        return m;
    }

    private static string[] Strings(JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToArray();

    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();
}
