using Norton.TestSupport;
using Xunit;

namespace Norton.Losses.Tests;

/// <summary>
/// Extra norton_loss cases in the golden format, made by Fixtures/make_reference_cases.py with the project's reference
/// implementation, for settings the shared golden files do not cover (float32 constants, clip OT off with the sequence
/// OT on, tiny alpha, zero iterations, one long video, length 1, float masks, weight 0, N = 90 at ratio 0.7).
/// </summary>
public class ReferenceCaseTests
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "reference");

    public static TheoryData<CaseRef> Cases =>
        new(Directory.EnumerateFiles(Folder, "*.json").OrderBy(f => f, StringComparer.Ordinal).Select(f => new CaseRef(f)));

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheReference(CaseRef path)
    {
        var c = GoldenCase.Load(path);
        GoldenNortonLossTests.CompareAll(c, c.Get("expected"), c.DType, c.DType);
    }

    [Fact]
    public void AllReferenceCasesAreFound() => Assert.Equal(10, Cases.Count<object[]>());
}
