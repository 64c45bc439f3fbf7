using Norton.Evaluation.Processing;

namespace Norton.Evaluation.Runners;

/// <summary>A task whose test items are the original aligner's outputs, one per pair, question, clip or video.</summary>
public abstract class AlignedTask : ZeroShotTask
{
    /// <inheritdoc />
    protected AlignedTask(Config.EvaluationConfig config, string dataDirectory) : base(config, dataDirectory)
    {
    }

    /// <summary>The items in the meta processor's order, read lazily (the caller disposes each).</summary>
    /// <param name="featureWidth">Feature width to require (the encoder's input); null accepts any.</param>
    /// <exception cref="FileNotFoundException">A data or feature file is missing.</exception>
    /// <exception cref="InvalidDataException">A malformed file or an unknown video.</exception>
    public abstract IEnumerable<AlignedItem> ReadItems(int? featureWidth = null);
}
