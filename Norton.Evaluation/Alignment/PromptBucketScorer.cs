using System.Runtime.InteropServices;
using Norton.Core.Validation;
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
/// <para>Scoring every (paragraph, video) pair one solver call at a time is slow (a Sinkhorn solve per pair); call
/// <see cref="Precompute"/> with the matrix and layout first, and the pairs are solved in one batched call per block
/// size. The score is a function of the block's values only, so the precomputed scores are looked up by value; a block
/// not precomputed is solved on its own. Batched and single solves agree to float32 rounding.</para>
/// <para>The precomputed scores live as long as the scorer (about 300 bytes per 8 x 8 pair). Not thread-safe while
/// <see cref="Precompute"/> runs.</para>
/// </remarks>
public sealed class PromptBucketScorer : IParagraphScorer
{
    private readonly Dictionary<BlockKey, double> _known = new();

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
        float[] values = Flatten(block);
        var key = new BlockKey(block.Rows, block.Columns, values);
        if (_known.TryGetValue(key, out double score)) return score;
        using var scope = NewDisposeScope();
        using var similarity = tensor(values, new long[] { block.Rows, block.Columns });
        using var alignment = Aligner.Align(similarity);
        return alignment.TransportValue;
    }

    /// <summary>
    /// Solves every (paragraph, video) pair of a retrieval set in batches (one Sinkhorn call per block size) and keeps
    /// the scores for <see cref="Score"/>.
    /// </summary>
    /// <param name="similarity">The (captions x clips) matrix that will be passed to <see cref="ParagraphRetrieval.Evaluate"/>.</param>
    /// <param name="layout">Its layout.</param>
    /// <exception cref="ArgumentException">The matrix is not 2-D floating point, is smaller than the layout, or not finite.</exception>
    public void Precompute(Tensor similarity, ParagraphLayout layout)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        ArgumentNullException.ThrowIfNull(layout);
        Guard.Rank(similarity, nameof(similarity), 2);
        Guard.FloatingPoint(similarity, nameof(similarity));
        if (similarity.shape[0] < layout.CaptionRows || similarity.shape[1] < layout.ClipColumns)
            throw new ArgumentException(
                $"{nameof(layout)} needs a {layout.CaptionRows} x {layout.ClipColumns} similarity matrix; got {Guard.Shape(similarity)}.",
                nameof(similarity));
        using var scope = NewDisposeScope();
        // The evaluation reads the matrix as float32; solve on exactly those values.
        var s = similarity.detach().cpu().to(ScalarType.Float32).contiguous();
        var pairs = from p in layout.Videos from v in layout.Videos select (Paragraph: p, Video: v);
        foreach (var group in pairs.GroupBy(x => (x.Paragraph.CaptionCount, x.Video.ClipCount)))
        {
            int rows = group.Key.CaptionCount, columns = group.Key.ClipCount, size = rows * columns;
            // Chunks bound the solver's memory (a chunk of 4096 pairs of 8 x 8 needs a few MB per sweep).
            foreach (var chunk in group.Chunk(PairsPerSolve))
            {
                using var chunkScope = NewDisposeScope();
                var stacked = stack(chunk.Select(x =>
                    s.narrow(0, x.Paragraph.CaptionStart, rows).narrow(1, x.Video.ClipStart, columns)).ToArray());
                double[] scores = Aligner.TransportValues(stacked);
                float[] flat = stacked.data<float>().ToArray();
                for (int b = 0; b < chunk.Length; b++)
                    _known[new BlockKey(rows, columns, flat.AsSpan(b * size, size).ToArray())] = scores[b];
            }
        }
    }

    /// <summary>Pairs solved in one batched Sinkhorn call by <see cref="Precompute"/>.</summary>
    public const int PairsPerSolve = 4096;

    private static float[] Flatten(in SimilarityBlock block)
    {
        var values = new float[block.Rows * block.Columns];
        for (int r = 0; r < block.Rows; r++)
            block.Row(r).CopyTo(values.AsSpan(r * block.Columns));
        return values;
    }

    /// <summary>A block's size and float32 values, compared by value.</summary>
    private sealed class BlockKey : IEquatable<BlockKey>
    {
        private readonly int _rows, _columns, _hash;
        private readonly float[] _values;

        public BlockKey(int rows, int columns, float[] values)
        {
            _rows = rows;
            _columns = columns;
            _values = values;
            var hash = new HashCode();
            hash.Add(rows);
            hash.Add(columns);
            hash.AddBytes(MemoryMarshal.AsBytes(values.AsSpan()));
            _hash = hash.ToHashCode();
        }

        public bool Equals(BlockKey? other) =>
            other is not null && other._rows == _rows && other._columns == _columns && other._values.AsSpan().SequenceEqual(_values);

        public override bool Equals(object? obj) => Equals(obj as BlockKey);

        public override int GetHashCode() => _hash;
    }
}
