namespace Norton.Losses;

/// <summary>
/// How <see cref="FineGrainedSimilarity"/> lays out one batch: captions (videos) sorted by valid-slot count and cut
/// into chunks of whole items; inside a chunk every item is padded to the chunk's largest count, so a product block
/// of a caption chunk and a video chunk reshapes to (texts, words, videos, frames) and each log-sum-exp is one
/// reduction over one axis.
/// </summary>
/// <remarks>
/// <para>Only valid slots are gathered; a padding slot of the layout repeats one of its item's valid slots and is
/// masked out of every sum (so its product entries are wasted work, kept small by sorting). The chunk boundaries are
/// chosen by dynamic programming to minimise padded slots plus a fixed cost per chunk, under the block size that the
/// memory budget allows.</para>
/// </remarks>
internal sealed class FineGrainedPlan
{
    /// <summary>Consecutive whole items (in sorted order), each padded to <see cref="Width"/> slots.</summary>
    internal readonly record struct Chunk(int ItemStart, int Items, int Width, long SlotStart)
    {
        /// <summary>Slots of the chunk in the padded layout.</summary>
        public long Slots => (long)Items * Width;
    }

    /// <summary>One side (text or video) of the plan.</summary>
    internal sealed class Side
    {
        /// <summary>For each slot of the padded layout, the flat index <c>row * L + slot</c> of the valid slot it reads.</summary>
        public required long[] Index { get; init; }

        /// <summary>For each slot of the padded layout, whether it is a real (valid) slot rather than padding.</summary>
        public required bool[] Real { get; init; }

        /// <summary><c>Rank[i]</c> = position of item i in sorted order.</summary>
        public required long[] Rank { get; init; }

        /// <summary>Valid count of each item, original order.</summary>
        public required long[] Counts { get; init; }

        /// <summary>Valid count of each item, sorted order.</summary>
        public required long[] SortedCounts { get; init; }

        /// <summary>Chunks covering all items in sorted order.</summary>
        public required Chunk[] Chunks { get; init; }

        /// <summary>Slots of the padded layout.</summary>
        public long Slots => Index.LongLength;

        /// <summary>Every slot of every item valid: the layout is the input's own order (<c>Index[i] = i</c>, one chunk
        /// width, the identity <see cref="Rank"/>), so a mask of the input's shape, flattened, is in layout order too
        /// (<see cref="FineGrainedLayout.Dense"/>).</summary>
        public required bool IsIdentity { get; init; }
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
    /// True: one <c>exp((cos - 1)/alpha)</c> per entry serves both directions (cosines of unit vectors are at least -1,
    /// so nothing underflows while <c>2/alpha</c> stays in the dtype's range). False (very small alpha): a max-shifted
    /// log-sum-exp per direction.
    /// </summary>
    public bool Shifted { get; }

    /// <summary>Product-block elements one chunk pair's fixed cost (about twenty tensor operations) is worth.</summary>
    private const long ChunkPairOverheadElements = 32768;

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

        // Three block-sized buffers live at once in the backward (exp/products, broadcast coefficients, scratch).
        long elements = Math.Max(1, memoryBudgetBytes / (3L * elementBytes));
        long columns = Math.Min(frames + frames / 8, Math.Max(videoSlots, (long)Math.Sqrt(elements)));
        long rows = Math.Max(textSlots, elements / Math.Max(1, columns));

        // A chunk's fixed cost, in padded slots: its pairs with every chunk of the other side.
        long textPenalty = Math.Max(1, ChunkPairOverheadElements / Math.Max(1, Math.Min(frames, columns)));
        long videoPenalty = Math.Max(1, ChunkPairOverheadElements / Math.Max(1, Math.Min(words, rows)));
        var text = BuildSide(textMask, textSlots, textCounts, rows, textPenalty);
        var video = BuildSide(videoMask, videoSlots, videoCounts, columns, videoPenalty);
        // exp(-2/alpha) must stay a normal number: float32 ~1e-38 (e^-87), float64 ~1e-308 (e^-708); keep a margin.
        double limit = elementBytes >= 8 ? 600 : 60;
        return new FineGrainedPlan(text, video, alpha, 2 / alpha <= limit);
    }

    private static long[] Counts(bool[] mask, long slots)
    {
        long n = mask.LongLength / slots;
        var counts = new long[n];
        for (long i = 0; i < n; i++)
            for (long s = 0; s < slots; s++)
                if (mask[i * slots + s]) counts[i]++;
        return counts;
    }

    private static Side BuildSide(bool[] mask, long slots, long[] counts, long maxSlotsPerChunk, long chunkPenalty)
    {
        int n = counts.Length;
        int[] order = Enumerable.Range(0, n).OrderBy(i => counts[i]).ToArray();   // stable
        var rank = new long[n];
        var sorted = new long[n];
        for (int r = 0; r < n; r++)
        {
            rank[order[r]] = r;
            sorted[r] = counts[order[r]];
        }
        var chunks = ChooseChunks(sorted, maxSlotsPerChunk, chunkPenalty);

        long total = chunks.Sum(c => c.Slots);
        var index = new long[total];
        var real = new bool[total];
        foreach (var c in chunks)
        {
            long at = c.SlotStart;
            for (int r = c.ItemStart; r < c.ItemStart + c.Items; r++)
            {
                long row = order[r], first = -1, filled = 0;
                for (long s = 0; s < slots; s++)
                {
                    if (!mask[row * slots + s]) continue;
                    if (first < 0) first = row * slots + s;
                    index[at + filled] = row * slots + s;
                    real[at + filled] = true;
                    filled++;
                }
                // Padding repeats a valid slot of the same item (a finite unit vector); it is masked out of every sum.
                for (; filled < c.Width; filled++) index[at + filled] = first;
                at += c.Width;
            }
        }
        return new Side
        {
            Index = index, Real = real, Rank = rank, Counts = counts, SortedCounts = sorted, Chunks = chunks,
            IsIdentity = counts.All(c => c == slots),
        };
    }

    /// <summary>
    /// Splits sorted counts into chunks minimising (padded slots + penalty per chunk), each at most
    /// <paramref name="maxSlots"/> padded slots unless a single item is larger.
    /// </summary>
    internal static Chunk[] ChooseChunks(long[] sortedCounts, long maxSlots, long penalty)
    {
        int n = sortedCounts.Length;
        var best = new long[n + 1];
        var from = new int[n + 1];
        for (int j = 1; j <= n; j++)
        {
            best[j] = long.MaxValue;
            long width = sortedCounts[j - 1];   // the largest count of any chunk ending at j
            for (int i = j - 1; i >= 0; i--)
            {
                long padded = (j - i) * width;
                if (i < j - 1 && padded > maxSlots) break;
                long cost = best[i] + padded + penalty;
                if (cost < best[j])
                {
                    best[j] = cost;
                    from[j] = i;
                }
            }
        }
        var chunks = new List<Chunk>();
        for (int j = n; j > 0; j = from[j])
            chunks.Add(new Chunk(from[j], j - from[j], (int)sortedCounts[j - 1], 0));
        chunks.Reverse();
        long slotStart = 0;
        for (int c = 0; c < chunks.Count; c++)
        {
            chunks[c] = chunks[c] with { SlotStart = slotStart };
            slotStart += chunks[c].Slots;
        }
        return chunks.ToArray();
    }
}
