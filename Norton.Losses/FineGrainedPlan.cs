namespace Norton.Losses;

/// <summary>
/// How <see cref="FineGrainedSimilarity"/> lays out one batch: the valid words (frames) of all captions (videos)
/// packed into one matrix, ordered by each row's valid count, and cut into chunks of whole rows so that every
/// frame-word product block fits the memory budget.
/// </summary>
/// <remarks>
/// Sorting by count makes each run of equal-count captions (videos) a regular (items, count) layout inside the packed
/// matrix, so a product block reshapes to (texts, words, videos, frames) without padding and the log-sum-exp over a
/// caption's words or a video's frames is a plain reduction over one axis. A chunk may span several such runs
/// (<see cref="Segment"/>s); its product is still one matrix multiplication.
/// </remarks>
internal sealed class FineGrainedPlan
{
    /// <summary>A run of items (captions or videos) with the same valid count, relative to its chunk.</summary>
    internal readonly record struct Segment(int ItemOffset, int Items, int Count, long SlotOffset);

    /// <summary>Consecutive whole items (in sorted order) and their packed slots.</summary>
    internal sealed record Chunk(int ItemStart, int Items, long SlotStart, long Slots, Segment[] Segments);

    /// <summary>One side (text or video) of the plan.</summary>
    internal sealed class Side
    {
        /// <summary>Flat indices <c>row * L + slot</c> of the valid slots, in packed order.</summary>
        public required long[] PackedIndex { get; init; }

        /// <summary><c>Rank[i]</c> = position of item i in sorted order.</summary>
        public required long[] Rank { get; init; }

        /// <summary>Valid count of each item, original order.</summary>
        public required long[] Counts { get; init; }

        /// <summary>Chunks covering all items in sorted order.</summary>
        public required Chunk[] Chunks { get; init; }

        /// <summary>Total number of valid slots.</summary>
        public long Packed => PackedIndex.LongLength;
    }

    private FineGrainedPlan(Side text, Side video, double alpha, bool shifted)
    {
        Text = text;
        Video = video;
        Alpha = alpha;
        Shifted = shifted;
    }

    /// <summary>The caption side (rows of each product block).</summary>
    public Side Text { get; }

    /// <summary>The video side (columns of each product block).</summary>
    public Side Video { get; }

    /// <summary>Temperature of the log-sum-exp.</summary>
    public double Alpha { get; }

    /// <summary>
    /// True: one <c>exp((cos - 1)/alpha)</c> per entry serves both directions (cosines of unit vectors are at
    /// least -1, so nothing underflows while <c>2/alpha</c> stays in the dtype's range). False (very small alpha): a
    /// max-shifted log-sum-exp per direction.
    /// </summary>
    public bool Shifted { get; }

    /// <summary>Lays out a batch.</summary>
    /// <param name="textMask">(Nt, T) valid words, row-major, host copy.</param>
    /// <param name="textSlots">T.</param>
    /// <param name="videoMask">(Nv, V) valid frames, row-major, host copy.</param>
    /// <param name="videoSlots">V.</param>
    /// <param name="alpha">Log-sum-exp temperature.</param>
    /// <param name="elementBytes">Bytes per element of the compute dtype.</param>
    /// <param name="memoryBudgetBytes">Budget for the block buffers (the backward holds about three of them).</param>
    public static FineGrainedPlan Create(bool[] textMask, long textSlots, bool[] videoMask, long videoSlots,
        double alpha, int elementBytes, long memoryBudgetBytes)
    {
        long[] textCounts = Counts(textMask, textSlots);
        long[] videoCounts = Counts(videoMask, videoSlots);
        long words = textCounts.Sum(), frames = videoCounts.Sum();

        // Three block-sized buffers live at once in the backward (products/exp, the broadcast coefficients, scratch).
        long elements = Math.Max(1, memoryBudgetBytes / (3L * elementBytes));
        long columns = Math.Min(frames, Math.Max(videoSlots, (long)Math.Sqrt(elements)));
        long rows = Math.Max(textSlots, elements / Math.Max(1, columns));

        var text = BuildSide(textMask, textSlots, textCounts, rows);
        var video = BuildSide(videoMask, videoSlots, videoCounts, columns);
        // exp(-2/alpha) must stay a normal number: float32 ~1e-38 (e^-87), float64 ~1e-308 (e^-708); keep a margin.
        double limit = elementBytes >= 8 ? 600 : 60;
        return new FineGrainedPlan(text, video, alpha, 2 / alpha <= limit);
    }

    private static long[] Counts(bool[] mask, long slots)
    {
        long n = mask.LongLength / slots;
        var counts = new long[n];
        for (long i = 0; i < n; i++)
        {
            long c = 0;
            for (long s = 0; s < slots; s++)
                if (mask[i * slots + s]) c++;
            counts[i] = c;
        }
        return counts;
    }

    private static Side BuildSide(bool[] mask, long slots, long[] counts, long maxSlotsPerChunk)
    {
        int n = counts.Length;
        int[] order = Enumerable.Range(0, n).OrderBy(i => counts[i]).ToArray();   // stable
        var rank = new long[n];
        for (int r = 0; r < n; r++) rank[order[r]] = r;

        var packed = new List<long>((int)counts.Sum());
        foreach (int i in order)
            for (long s = 0; s < slots; s++)
                if (mask[i * slots + s]) packed.Add(i * slots + s);

        var chunks = new List<Chunk>();
        int start = 0;
        long slotStart = 0;
        while (start < n)
        {
            int end = start;
            long used = 0;
            while (end < n && (end == start || used + counts[order[end]] <= maxSlotsPerChunk))
                used += counts[order[end++]];
            chunks.Add(new Chunk(start, end - start, slotStart, used, Segments(order, counts, start, end)));
            slotStart += used;
            start = end;
        }
        return new Side { PackedIndex = packed.ToArray(), Rank = rank, Counts = counts, Chunks = chunks.ToArray() };
    }

    private static Segment[] Segments(int[] order, long[] counts, int start, int end)
    {
        var segments = new List<Segment>();
        int s = start;
        long slotOffset = 0;
        while (s < end)
        {
            long c = counts[order[s]];
            int e = s;
            while (e < end && counts[order[e]] == c) e++;
            segments.Add(new Segment(s - start, e - s, (int)c, slotOffset));
            slotOffset += (e - s) * c;
            s = e;
        }
        return segments.ToArray();
    }
}
