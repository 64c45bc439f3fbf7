namespace Norton.Evaluation.Metrics;

/// <summary>Adapts a function (similarity block, bounds) → score to <see cref="IParagraphScorer"/>.</summary>
public sealed class DelegateParagraphScorer : IParagraphScorer
{
    /// <summary>The scoring function: larger return values mean better matches.</summary>
    public delegate double ScoreFunction(in SimilarityBlock block, ParagraphBounds bounds);

    private readonly ScoreFunction _score;

    /// <summary>Wraps <paramref name="score"/> under the report name <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public DelegateParagraphScorer(string name, ScoreFunction score)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(score);
        Name = name;
        _score = score;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public double Score(in SimilarityBlock block, ParagraphBounds bounds) => _score(block, bounds);
}
