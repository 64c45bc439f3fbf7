using Norton.Evaluation.Metrics;
using static TorchSharp.torch;

namespace Norton.Evaluation.Alignment;

/// <summary>
/// Video-paragraph retrieval score by optimal transport with the alignable prompt bucket: the
/// <see cref="ZeroShotAlignment.TransportValue"/> of <see cref="ZeroShotAligner"/> on the pair's similarity block.
/// Unlike Cap.Avg a clip serves one caption's worth of mass, and a caption that fits no clip of the video earns the
/// bucket value instead of its best (accidental) match.
/// </summary>
/// <remarks>
/// <para>The block should hold cosine similarities (the scale of the bucket value). The bounds are not used: the
/// score needs no padding.</para>
/// <para>A Sinkhorn solve per pair is slow; <see cref="ScoreBatch"/> (what <see cref="ParagraphRetrieval.Evaluate"/>
/// calls) solves the pairs of one block size together, at most <see cref="PairsPerSolve"/> per call. Batched and
/// single solves agree to float32 rounding. The scorer keeps no state, so one instance may serve several threads.</para>
/// </remarks>
public sealed class PromptBucketScorer : IParagraphScorer
{
    /// <summary>Pairs solved in one batched Sinkhorn call by <see cref="ScoreBatch"/>.</summary>
    public const int PairsPerSolve = 4096;

    /// <summary>Creates the scorer.</summary>
    /// <param name="aligner">The aligner (bucket value, epsilon, sweeps).</param>
    public PromptBucketScorer(ZeroShotAligner aligner)
    {
        ArgumentNullException.ThrowIfNull(aligner);
        Aligner = aligner;
    }

    /// <summary>The aligner that solves each pair.</summary>
    public ZeroShotAligner Aligner { get; }

    /// <inheritdoc />
    public string Name => "OT+bucket";

    /// <inheritdoc />
    public double Score(in SimilarityBlock block, ParagraphBounds bounds)
    {
        using var scope = NewDisposeScope();
        using var similarity = tensor(Flatten(block), new long[] { block.Rows, block.Columns });
        using var alignment = Aligner.Align(similarity);
        return alignment.TransportValue;
    }

    /// <summary>Solves the pairs grouped by block size, one batched Sinkhorn call per group (and chunk).</summary>
    /// <inheritdoc />
    public double[] ScoreBatch(IReadOnlyList<SimilarityBlock> blocks, ParagraphBounds bounds)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var scores = new double[blocks.Count];
        var groups = Enumerable.Range(0, blocks.Count).GroupBy(i => (blocks[i].Rows, blocks[i].Columns));
        foreach (var group in groups)
        {
            int rows = group.Key.Rows, columns = group.Key.Columns, size = rows * columns;
            // Chunks bound the solver's memory (a chunk of 4096 pairs of 8 x 8 needs a few MB per sweep).
            foreach (int[] chunk in group.Chunk(PairsPerSolve))
            {
                var values = new float[chunk.Length * size];
                for (int b = 0; b < chunk.Length; b++)
                    Flatten(blocks[chunk[b]], values.AsSpan(b * size, size));
                using var scope = NewDisposeScope();
                using var stacked = tensor(values, new long[] { chunk.Length, rows, columns });
                double[] solved = Aligner.TransportValues(stacked);
                for (int b = 0; b < chunk.Length; b++)
                    scores[chunk[b]] = solved[b];
            }
        }
        return scores;
    }

    private static float[] Flatten(in SimilarityBlock block)
    {
        var values = new float[block.Rows * block.Columns];
        Flatten(block, values);
        return values;
    }

    private static void Flatten(in SimilarityBlock block, Span<float> into)
    {
        for (int r = 0; r < block.Rows; r++)
            block.Row(r).CopyTo(into.Slice(r * block.Columns, block.Columns));
    }
}
