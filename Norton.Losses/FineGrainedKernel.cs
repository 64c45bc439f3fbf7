using Norton.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Losses;

/// <summary>
/// The chunked frame-word log-sum-exp of <see cref="FineGrainedSimilarity"/>, forward and hand-written backward,
/// over the padded, sorted layout of a <see cref="FineGrainedPlan"/>. Holds one product block at a time.
/// </summary>
/// <remarks>
/// <para>Inputs are unit-normalised words W and frames F in the plan's layout. For a caption chunk x video chunk the
/// product <c>C = W F^T</c> holds every cosine of those pairs; padding rows and columns get <c>-inf</c> through the
/// product's bias, so they vanish from every exp-sum. Outputs, in sorted order:
/// <c>t2vSum[a,b] = sum over valid words t of alpha*LSE_v(C_tv/alpha)</c> and
/// <c>v2tSum[a,b] = sum over valid frames v of alpha*LSE_t(C_tv/alpha)</c>.</para>
/// <para>The backward recomputes each block's product (a fourth matrix product instead of keeping N x N x T x V
/// values) and uses <c>d t2vSum/dC_tv = softmax_v</c>, <c>d v2tSum/dC_tv = softmax_t</c>; with the shifted form both
/// softmaxes share one exp: <c>dC = E (g_t2v/Z_frames + g_v2t/Z_words)</c>.</para>
/// <para>Memory: each call (forward or backward) allocates one workspace and cuts the frame layout, the current word
/// chunk, the product block and, in the backward, the gradients' buffers out of it as views, so the hundreds of
/// chunk pairs of a batch allocate nothing block-sized (allocating each anew, in changing sizes, fragmented the C heap:
/// docs/performance.md, "Steady-state memory at N 1024"). The workspace belongs to the call, so concurrent calls share
/// nothing.</para>
/// </remarks>
internal static class FineGrainedKernel
{
    /// <summary>
    /// The (t2vSum, v2tSum) sums, (Nt, Nv) each, rows and columns in the plan's sorted order, from the flat word
    /// (N*T, D) and frame (N*V, D) features.
    /// </summary>
    /// <param name="wordsFlat">(N*T, D) word features.</param>
    /// <param name="framesFlat">(N*V, D) frame features.</param>
    /// <param name="plan">The layout.</param>
    /// <param name="textValid">Null: the plan's valid slots. Else (N*T) bool, the valid words on the device, for a
    /// plan whose text side is the identity layout (<see cref="FineGrainedLayout.Dense"/>): invalid slots are treated
    /// as the plan's padding slots, so nothing is read to the host.</param>
    /// <param name="videoValid">The same for the frames.</param>
    public static (Tensor T2vSum, Tensor V2tSum) Forward(Tensor wordsFlat, Tensor framesFlat, FineGrainedPlan plan,
        Tensor? textValid = null, Tensor? videoValid = null)
    {
        long nt = plan.Text.Counts.LongLength, nv = plan.Video.Counts.LongLength;
        using var scope = NewDisposeScope();
        var t = new SideTensors(plan.Text, wordsFlat, textValid);
        var v = new SideTensors(plan.Video, wordsFlat, videoValid);
        var sizes = new Sizes(plan, wordsFlat.shape[1]);
        var ws = new Workspace(sizes.Forward, wordsFlat);
        var frames = ws.Take(sizes.VideoSlots, sizes.Dim);
        var frameNorms = ws.Take(sizes.VideoSlots, 1);
        var words = ws.Take(sizes.MaxRowSlots, sizes.Dim);
        var wordNorms = ws.Take(sizes.MaxRowSlots, 1);
        var blockBuffer = ws.Take(sizes.MaxBlock);
        Layout(framesFlat, plan.Video, v, frames, frameNorms);
        var t2v = empty(nt, nv, dtype: wordsFlat.dtype, device: wordsFlat.device);
        var v2t = empty(nt, nv, dtype: wordsFlat.dtype, device: wordsFlat.device);
        double alpha = plan.Alpha;
        using var alphaScalar = alpha.ToScalar();
        foreach (var rc in plan.Text.Chunks)
        {
            using var rowScope = NewDisposeScope();
            var wr = words.narrow(0, 0, rc.Slots);
            LayoutChunk(wordsFlat, plan.Text, t, rc, wr, wordNorms.narrow(0, 0, rc.Slots));
            foreach (var cc in plan.Video.Chunks)
            {
                using var blockScope = NewDisposeScope();
                var block = Block(blockBuffer, wr, frames, t, v, rc, cc, plan);
                var e = block.view(rc.Items, rc.Width, cc.Items, cc.Width);
                Tensor a, b;
                if (plan.Shifted)
                {
                    // alpha*LSE = 1 + alpha*log(sum exp((C - 1)/alpha)); padding rows/columns sum to 0, +1 makes their log 0.
                    var countT = t.Counts.narrow(0, rc.ItemStart, rc.Items).unsqueeze(1);
                    var countV = v.Counts.narrow(0, cc.ItemStart, cc.Items).unsqueeze(0);
                    a = e.sum(3).add_(t.PadRows(rc), Scalars.One).log_().sum(1).mul_(alphaScalar).add_(countT, Scalars.One);
                    b = e.sum(1).add_(v.PadColumns(cc), Scalars.One).log_().sum(2).mul_(alphaScalar).add_(countV, Scalars.One);
                }
                else
                {
                    // Padding rows/columns are all -inf: their LSE is -inf, counted as 0.
                    var lt = e.logsumexp(3);
                    var lv = e.logsumexp(1);
                    a = lt.masked_fill_(lt.isinf(), Scalars.Zero).sum(1).mul_(alphaScalar);
                    b = lv.masked_fill_(lv.isinf(), Scalars.Zero).sum(2).mul_(alphaScalar);
                }
                Cell(t2v, rc, cc).copy_(a);
                Cell(v2t, rc, cc).copy_(b);
            }
        }
        return (t2v.MoveToOuterDisposeScope(), v2t.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Gradients w.r.t. the flat words and frames, given the gradients of the two sums (sorted order). The word side
    /// is laid out, differentiated and scattered back one row chunk at a time, so only the frame side is held whole.
    /// <paramref name="textValid"/> and <paramref name="videoValid"/> as in <see cref="Forward"/> (the gradient at an
    /// invalid slot is zero, as at a slot the packed layout leaves out).
    /// </summary>
    public static (Tensor DWordsFlat, Tensor DFramesFlat) Backward(Tensor wordsFlat, Tensor framesFlat, Tensor gradT2v, Tensor gradV2t,
        FineGrainedPlan plan, Tensor? textValid = null, Tensor? videoValid = null)
    {
        using var scope = NewDisposeScope();
        var t = new SideTensors(plan.Text, wordsFlat, textValid);
        var v = new SideTensors(plan.Video, wordsFlat, videoValid);
        var sizes = new Sizes(plan, wordsFlat.shape[1]);
        var ws = new Workspace(sizes.Backward, wordsFlat);
        var frames = ws.Take(sizes.VideoSlots, sizes.Dim);
        var frameNorms = ws.Take(sizes.VideoSlots, 1);
        var df = ws.Take(sizes.VideoSlots, sizes.Dim);
        var words = ws.Take(sizes.MaxRowSlots, sizes.Dim);
        var wordNorms = ws.Take(sizes.MaxRowSlots, 1);
        var dwBuffer = ws.Take(sizes.MaxRowSlots, sizes.Dim);
        var blockBuffer = ws.Take(sizes.MaxBlock);
        var coefficients = ws.Take(sizes.MaxBlock);
        var scratch = ws.Take(sizes.MaxChunkSlots * sizes.Dim);
        Layout(framesFlat, plan.Video, v, frames, frameNorms);
        df.zero_();
        var dWordsFlat = zeros_like(wordsFlat);
        foreach (var rc in plan.Text.Chunks)
        {
            using var rowScope = NewDisposeScope();
            var wr = words.narrow(0, 0, rc.Slots);
            var wn = wordNorms.narrow(0, 0, rc.Slots);
            LayoutChunk(wordsFlat, plan.Text, t, rc, wr, wn);
            var dw = dwBuffer.narrow(0, 0, rc.Slots).zero_();
            foreach (var cc in plan.Video.Chunks)
            {
                using var blockScope = NewDisposeScope();
                var block = Block(blockBuffer, wr, frames, t, v, rc, cc, plan);
                var e = block.view(rc.Items, rc.Width, cc.Items, cc.Width);
                var coefficient = coefficients.narrow(0, 0, block.numel()).view(rc.Items, rc.Width, cc.Items, cc.Width);
                var gt = Cell(gradT2v, rc, cc);
                var gv = Cell(gradV2t, rc, cc);
                if (plan.Shifted)
                {
                    var perWord = (gt.unsqueeze(1) / e.sum(3).add_(t.PadRows(rc), Scalars.One)).unsqueeze(3);         // (na, ka, nb, 1)
                    var perFrame = (gv.unsqueeze(2) / e.sum(1).add_(v.PadColumns(cc), Scalars.One)).unsqueeze(1);     // (na, 1, nb, kb)
                    // e *= perWord + perFrame, the sum built in the workspace.
                    e.mul_(coefficient.copy_(perWord.expand_as(coefficient)).add_(perFrame, Scalars.One));
                }
                else
                {
                    var lt = e.logsumexp(3, keepdim: true);
                    var lv = e.logsumexp(1, keepdim: true);
                    lt.masked_fill_(lt.isinf(), Scalars.Zero);
                    lv.masked_fill_(lv.isinf(), Scalars.Zero);
                    var overFrames = coefficient.copy_(e).sub_(lt).exp_().mul_(gt.view(rc.Items, 1, cc.Items, 1));
                    e.sub_(lv).exp_().mul_(gv.view(rc.Items, 1, cc.Items, 1)).add_(overFrames, Scalars.One);
                }
                // block now holds dLoss/dC (zero at padding entries).
                var fc = frames.narrow(0, cc.SlotStart, cc.Slots);
                dw.addmm_(block, fc);
                df.narrow(0, cc.SlotStart, cc.Slots).addmm_(block.t(), wr);
            }
            ScatterUnitGradient(dw, wr, wn, dWordsFlat, plan.Text, rc, scratch);
        }
        var dFramesFlat = zeros_like(framesFlat);
        foreach (var cc in plan.Video.Chunks)
            ScatterUnitGradient(df.narrow(0, cc.SlotStart, cc.Slots), frames.narrow(0, cc.SlotStart, cc.Slots),
                frameNorms.narrow(0, cc.SlotStart, cc.Slots), dFramesFlat, plan.Video, cc, scratch);
        return (dWordsFlat.MoveToOuterDisposeScope(), dFramesFlat.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Lays out a whole side into <paramref name="unit"/> (slots, D) and <paramref name="norms"/> (slots, 1), one chunk
    /// at a time: the flat slots it reads, scaled to unit length, and their norms.
    /// </summary>
    private static void Layout(Tensor flat, FineGrainedPlan.Side side, SideTensors tensors, Tensor unit, Tensor norms)
    {
        foreach (var c in side.Chunks)
            LayoutChunk(flat, side, tensors, c, unit.narrow(0, c.SlotStart, c.Slots), norms.narrow(0, c.SlotStart, c.Slots));
    }

    /// <summary>
    /// The plan's layout of one chunk, written into <paramref name="unit"/> (chunk slots, D) and
    /// <paramref name="norms"/> (chunk slots, 1): the flat slots it reads, scaled to unit length, and their norms.
    /// Slots that a device mask marks invalid (dense layout) become zero vectors of norm 1, whatever they held: their
    /// product entries are then finite and the padding bias removes them, like the packed layout's padding.
    /// </summary>
    private static void LayoutChunk(Tensor flat, FineGrainedPlan.Side side, SideTensors tensors, FineGrainedPlan.Chunk chunk,
        Tensor unit, Tensor norms)
    {
        // An identity layout (every slot valid, or the dense layout) is a slice: no index tensor to copy to the device.
        if (side.IsIdentity)
        {
            unit.copy_(flat.narrow(0, chunk.SlotStart, chunk.Slots));
        }
        else
        {
            using var index = ChunkIndex(side, chunk, flat.device);
            using var gathered = flat.index_select(0, index);
            unit.copy_(gathered);
        }
        using var invalid = tensors.Invalid?.narrow(0, chunk.SlotStart, chunk.Slots);
        if (invalid is not null) unit.masked_fill_(invalid, Scalars.Zero);
        using (var n = unit.norm(1, keepdim: true))
            norms.copy_(n);
        if (invalid is not null) norms.masked_fill_(invalid, Scalars.One);
        unit.div_(norms);
    }

    /// <summary>
    /// Adds to <paramref name="dFlat"/> the gradient w.r.t. the flat features, from the gradient
    /// <paramref name="dUnit"/> w.r.t. the unit vectors of one chunk: <c>dx = (g - u (u.g)) / |x|</c>, summed over the
    /// layout slots that read each flat slot. Overwrites <paramref name="dUnit"/>, <paramref name="unit"/> and
    /// <paramref name="scratch"/> (at least as many elements as <paramref name="dUnit"/>).
    /// </summary>
    private static void ScatterUnitGradient(Tensor dUnit, Tensor unit, Tensor norms, Tensor dFlat, FineGrainedPlan.Side side,
        FineGrainedPlan.Chunk chunk, Tensor scratch)
    {
        var product = scratch.narrow(0, 0, dUnit.numel()).view(dUnit.shape);
        using var radial = product.copy_(dUnit).mul_(unit).sum(1, keepdim: true);
        dUnit.sub_(unit.mul_(radial)).div_(norms);
        if (side.IsIdentity)
        {
            // Each flat slot has one layout slot: adding to the slice is the same sum (into zeros) as the scatter.
            dFlat.narrow(0, chunk.SlotStart, chunk.Slots).add_(dUnit, Scalars.One);
            return;
        }
        using var index = ChunkIndex(side, chunk, dFlat.device);
        dFlat.index_add_(0, index, dUnit, Scalars.One);
    }

    private static Tensor ChunkIndex(FineGrainedPlan.Side side, FineGrainedPlan.Chunk c, Device device) =>
        tensor(side.Index.AsSpan((int)c.SlotStart, (int)c.Slots).ToArray(), device: device);

    /// <summary>
    /// One product block (the rc words <paramref name="wr"/> x cc columns): shifted plan <c>exp((C - 1)/alpha)</c>, else <c>C/alpha</c>, with
    /// padding entries at exp(-inf) = 0, respectively -inf.
    /// </summary>
    private static Tensor Block(Tensor buffer, Tensor wr, Tensor frames, SideTensors t, SideTensors v,
        FineGrainedPlan.Chunk rc, FineGrainedPlan.Chunk cc, FineGrainedPlan plan)
    {
        var fc = frames.narrow(0, cc.SlotStart, cc.Slots);
        var columnBias = (plan.Shifted ? v.BiasMinusOne : v.Bias).narrow(0, cc.SlotStart, cc.Slots).unsqueeze(0);
        // addmm(columnBias, wr, fc^T) written into the workspace: the bias broadcast first, then the same BLAS call.
        var block = buffer.narrow(0, 0, rc.Slots * cc.Slots).view(rc.Slots, cc.Slots);
        block.copy_(columnBias.expand(rc.Slots, cc.Slots)).addmm_(wr, fc.t(), beta: 1, alpha: 1).add_(t.Bias.narrow(0, rc.SlotStart, rc.Slots).unsqueeze(1), Scalars.One);
        using var alpha = plan.Alpha.ToScalar();
        if (plan.Alpha != 1) block.div_(alpha);
        return plan.Shifted ? block.exp_() : block;
    }

    /// <summary>The workspace sizes of a plan, in elements.</summary>
    private readonly struct Sizes
    {
        public Sizes(FineGrainedPlan plan, long dim)
        {
            Dim = dim;
            VideoSlots = plan.Video.Slots;
            MaxRowSlots = plan.Text.Chunks.Max(c => c.Slots);
            long maxColumnSlots = plan.Video.Chunks.Max(c => c.Slots);
            MaxChunkSlots = Math.Max(MaxRowSlots, maxColumnSlots);
            MaxBlock = MaxRowSlots * maxColumnSlots;
        }

        public long Dim { get; }

        public long VideoSlots { get; }

        public long MaxRowSlots { get; }

        public long MaxChunkSlots { get; }

        public long MaxBlock { get; }

        /// <summary>Frames and their norms, one word chunk and its norms, one block.</summary>
        public long[] Forward => [VideoSlots * Dim, VideoSlots, MaxRowSlots * Dim, MaxRowSlots, MaxBlock];

        /// <summary>The forward's, plus the frame gradient, the word chunk's gradient, the block's coefficients and
        /// the unit-gradient scratch.</summary>
        public long[] Backward => [VideoSlots * Dim, VideoSlots, VideoSlots * Dim, MaxRowSlots * Dim, MaxRowSlots,
            MaxRowSlots * Dim, MaxBlock, MaxBlock, MaxChunkSlots * Dim];
    }

    /// <summary>
    /// One buffer per kernel call, cut into the views the pass needs (in the order of the sizes it was made for), so
    /// that the pass makes no block-sized allocation of its own: its blocks change size from one chunk pair to the
    /// next, and allocating each anew fragments the C heap (docs/performance.md). Made and freed by the call, so calls
    /// on different threads share nothing.
    /// </summary>
    private sealed class Workspace
    {
        // Views start on 64-byte boundaries, like fresh allocations (BLAS kernels may depend on alignment).
        private const long Align = 64;
        private readonly Tensor _buffer;
        private readonly long _elementBytes;
        private long _used;

        public Workspace(long[] sizes, Tensor like)
        {
            _elementBytes = like.ElementSize;
            long total = sizes.Sum(Round);
            _buffer = empty(total, dtype: like.dtype, device: like.device);
        }

        /// <summary>The next view, of the given shape.</summary>
        public Tensor Take(params long[] shape)
        {
            long n = shape.Aggregate(1L, (a, b) => a * b);
            var view = _buffer.narrow(0, _used, n).view(shape);
            _used += Round(n);
            return view;
        }

        private long Round(long elements)
        {
            long perLine = Math.Max(1, Align / _elementBytes);
            return (elements + perLine - 1) / perLine * perLine;
        }
    }

    /// <summary>The (texts, videos) cell of an N x N matrix (sorted order) that a chunk pair covers.</summary>
    private static Tensor Cell(Tensor m, FineGrainedPlan.Chunk rc, FineGrainedPlan.Chunk cc) =>
        m.narrow(0, rc.ItemStart, rc.Items).narrow(1, cc.ItemStart, cc.Items);

    /// <summary>Device tensors of one side of the plan, made for one pass: from the plan's host arrays, or, in the
    /// dense layout, from the valid slots given on the device (layout order).</summary>
    private sealed class SideTensors
    {
        public SideTensors(FineGrainedPlan.Side side, Tensor like, Tensor? valid)
        {
            Tensor real;
            if (valid is null)
            {
                real = tensor(side.Real, device: like.device);
                Counts = tensor(side.SortedCounts, device: like.device).to(like.dtype);
            }
            else
            {
                if (!side.IsIdentity || valid.numel() != side.Slots || valid.dtype != ScalarType.Bool)
                    throw new InvalidOperationException("A device mask needs the identity layout of its shape (a plan made without its mask).");
                real = valid.view(-1);
                Counts = real.view(-1, side.Chunks[0].Width).sum(1, type: like.dtype);   // identity order = sorted order
                Invalid = real.logical_not().unsqueeze(1);
            }
            Bias = zeros(side.Slots, dtype: like.dtype, device: like.device).masked_fill_(real.logical_not(), Scalars.NegativeInfinity);
            BiasMinusOne = Bias.sub(Scalars.One);
            PadOne = real.logical_not().to(like.dtype);
        }

        /// <summary>Dense layout only: (slots, 1), true at the slots the device mask marks invalid.</summary>
        public Tensor? Invalid { get; }

        /// <summary>0 for real slots, -inf for padding.</summary>
        public Tensor Bias { get; }

        /// <summary>-1 for real slots (the shift of the exp), -inf for padding.</summary>
        public Tensor BiasMinusOne { get; }

        /// <summary>1 for padding slots, 0 for real ones.</summary>
        public Tensor PadOne { get; }

        /// <summary>Valid counts, sorted order.</summary>
        public Tensor Counts { get; }

        /// <summary>(items, width, 1) padding indicator of a row chunk.</summary>
        public Tensor PadRows(FineGrainedPlan.Chunk c) => PadOne.narrow(0, c.SlotStart, c.Slots).view(c.Items, c.Width, 1);

        /// <summary>(1, items, width) padding indicator of a column chunk.</summary>
        public Tensor PadColumns(FineGrainedPlan.Chunk c) => PadOne.narrow(0, c.SlotStart, c.Slots).view(1, c.Items, c.Width);
    }
}
