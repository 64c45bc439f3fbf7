using Norton.Core.Validation;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Models.Text;

/// <summary>
/// Lays captions out the way every VideoCLIP/Norton aligner does (<c>Aligner._build_text_seq</c>, docs/original-model.md §1.1):
/// <c>caps = [CLS] [SEP] w1 … wn [SEP] [PAD] …</c> of length <c>Lc = max_len − max_video_len</c>, with
/// <c>n ≤ max_len − max_video_len − 3</c> (longer captions keep their first n word pieces), and <c>cmasks</c> true on
/// the first n + 3 positions. The second token is the "video [SEP]" that the video tower borrows; the text tower
/// drops it and reads <c>[CLS] w1 … wn [SEP]</c>.
/// </summary>
/// <remarks>
/// Sizes from the original configs: pre-training (how2_pretrain) max_video_len 16, max_len 48, so Lc = 32 and at most
/// 29 word pieces; MSR-VTT, YouCook2, COIN, CrossTask evaluation 32 / 96 (Lc 64, 61 pieces); MSR-VTT QA 16 / 96 (Lc 80).
/// Word ids are the tokenizer's output without special tokens. Every method returns new CPU tensors (or on the
/// requested device) that the caller owns.
/// </remarks>
public sealed class CaptionSequenceBuilder
{
    private readonly BertWordPieceTokenizer _tokenizer;

    /// <summary>Creates a builder for one (max_video_len, max_len) configuration.</summary>
    /// <param name="tokenizer">Gives the special ids ([CLS], [SEP], [PAD]), the vocabulary size and the text encoding.</param>
    /// <param name="maxVideoLength">The config's <c>max_video_len</c> (Tv), ≥ 0.</param>
    /// <param name="maxLength">The config's <c>max_len</c> (L); L − Tv must leave room for the 3 special tokens.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tokenizer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxVideoLength"/> is negative, or
    /// <paramref name="maxLength"/> − <paramref name="maxVideoLength"/> is below 3.</exception>
    public CaptionSequenceBuilder(BertWordPieceTokenizer tokenizer, int maxVideoLength, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (maxVideoLength < 0)
            throw Guard.OutOfRange(nameof(maxVideoLength), maxVideoLength, "be >= 0 (max_video_len)");
        if ((long)maxLength - maxVideoLength < 3)
            throw Guard.OutOfRange(nameof(maxLength), maxLength,
                "leave max_len - max_video_len >= 3 (room for [CLS], the video [SEP] and the closing [SEP])",
                $"max_len {maxLength} - max_video_len {maxVideoLength} = {(long)maxLength - maxVideoLength}");
        _tokenizer = tokenizer;
        MaxVideoLength = maxVideoLength;
        MaxLength = maxLength;
    }

    /// <summary>The config's <c>max_video_len</c> (Tv).</summary>
    public int MaxVideoLength { get; }

    /// <summary>The config's <c>max_len</c> (L).</summary>
    public int MaxLength { get; }

    /// <summary>Length of <c>caps</c>/<c>cmasks</c>: Lc = L − Tv.</summary>
    public int CaptionLength => MaxLength - MaxVideoLength;

    /// <summary>Most word pieces a caption keeps: L − Tv − 3.</summary>
    public int MaxWordTokens => CaptionLength - 3;

    /// <summary>
    /// One caption from its word ids, as <c>_build_text_seq(ids)</c>: <c>caps</c> int64 (Lc) and <c>cmasks</c> bool (Lc).
    /// </summary>
    /// <param name="wordIds">Word-piece ids without special tokens; ids past <see cref="MaxWordTokens"/> are dropped.</param>
    /// <param name="device">Where to put the tensors (CPU when null).</param>
    /// <exception cref="ArgumentNullException"><paramref name="wordIds"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary (e.g. the −1 padding of stored caption arrays).</exception>
    public (Tensor Caps, Tensor Cmasks) BuildTextSequence(IReadOnlyList<int> wordIds, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(wordIds);
        var (caps, cmasks) = Layout(new[] { wordIds }, nameof(wordIds));
        return ToTensors(caps, cmasks, new long[] { CaptionLength }, device);
    }

    /// <summary>A batch of captions from word ids: <c>caps</c> int64 (B, Lc) and <c>cmasks</c> bool (B, Lc), row b = caption b.</summary>
    /// <param name="wordIds">One list of word-piece ids (no special tokens) per caption; B may be 0.</param>
    /// <param name="device">Where to put the tensors (CPU when null).</param>
    /// <exception cref="ArgumentNullException"><paramref name="wordIds"/> or one of its rows is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public (Tensor Caps, Tensor Cmasks) BuildFromIds(IReadOnlyList<IReadOnlyList<int>> wordIds, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(wordIds);
        var (caps, cmasks) = Layout(wordIds, nameof(wordIds));
        return ToTensors(caps, cmasks, new long[] { wordIds.Count, CaptionLength }, device);
    }

    /// <summary>
    /// A batch of caption texts: each is tokenised without special tokens (HF <c>add_special_tokens=False</c>), cut to
    /// <see cref="MaxWordTokens"/> word pieces and laid out; <c>caps</c> int64 (B, Lc), <c>cmasks</c> bool (B, Lc).
    /// </summary>
    /// <param name="captions">Caption texts; an empty text gives <c>[CLS] [SEP] [SEP]</c> with 3 valid positions.</param>
    /// <param name="device">Where to put the tensors (CPU when null).</param>
    /// <exception cref="ArgumentNullException"><paramref name="captions"/> is null.</exception>
    /// <exception cref="ArgumentException">A caption is null (the message gives its index).</exception>
    public (Tensor Caps, Tensor Cmasks) Build(IReadOnlyList<string> captions, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(captions);
        var ids = new IReadOnlyList<int>[captions.Count];
        for (int b = 0; b < captions.Count; b++)
            ids[b] = _tokenizer.EncodeToIds(captions[b]
                ?? throw Guard.Argument(nameof(captions), "hold no null caption", $"caption {b} of {captions.Count} is null"));
        return BuildFromIds(ids, device);
    }

    /// <summary>
    /// The dummy caption the original feeds with video-only inputs (COIN action segmentation, YouCook2 background
    /// retrieval): <c>caps = [CLS, SEP, PAD, SEP]</c> and <c>cmasks = [0, 1, 0, 1]</c> per row, shape (B, 4). It makes
    /// [CLS] a masked key in the video tower, which reads only the first two positions.
    /// </summary>
    /// <param name="batchSize">Rows B, ≥ 0.</param>
    /// <param name="device">Where to put the tensors (CPU when null).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is negative.</exception>
    public (Tensor Caps, Tensor Cmasks) BuildDummy(int batchSize, Device? device = null)
    {
        if (batchSize < 0)
            throw Guard.OutOfRange(nameof(batchSize), batchSize, "be >= 0");
        var caps = new long[batchSize * 4];
        var cmasks = new bool[batchSize * 4];
        for (int b = 0; b < batchSize; b++)
        {
            caps[4 * b] = _tokenizer.ClassificationTokenId;
            caps[4 * b + 1] = _tokenizer.SeparatorTokenId;
            caps[4 * b + 2] = _tokenizer.PaddingTokenId;
            caps[4 * b + 3] = _tokenizer.SeparatorTokenId;
            cmasks[4 * b + 1] = true;
            cmasks[4 * b + 3] = true;
        }
        return ToTensors(caps, cmasks, new long[] { batchSize, 4 }, device);
    }

    private (long[] Caps, bool[] Cmasks) Layout(IReadOnlyList<IReadOnlyList<int>> rows, string argument)
    {
        int length = CaptionLength;
        var caps = new long[rows.Count * length];
        var cmasks = new bool[rows.Count * length];
        for (int b = 0; b < rows.Count; b++)
        {
            IReadOnlyList<int> ids = rows[b]
                ?? throw new ArgumentNullException(argument, Guard.Message(argument, "hold word ids for every caption", $"caption {b} of {rows.Count} is null"));
            int n = Math.Min(ids.Count, MaxWordTokens);
            int row = b * length;
            caps.AsSpan(row, length).Fill(_tokenizer.PaddingTokenId);
            caps[row] = _tokenizer.ClassificationTokenId;
            caps[row + 1] = _tokenizer.SeparatorTokenId;
            for (int i = 0; i < n; i++)
            {
                int id = ids[i];
                if ((uint)id >= (uint)_tokenizer.VocabularySize)
                    throw Guard.OutOfRange(argument, id, $"hold word ids in [0, {_tokenizer.VocabularySize}) (strip the -1 padding of stored caption arrays first)",
                        $"holds {id} at position {i} of caption {b}");
                caps[row + 2 + i] = id;
            }
            caps[row + 2 + n] = _tokenizer.SeparatorTokenId;
            cmasks.AsSpan(row, n + 3).Fill(true);
        }
        return (caps, cmasks);
    }

    private static (Tensor Caps, Tensor Cmasks) ToTensors(long[] caps, bool[] cmasks, long[] shape, Device? device)
    {
        // Built straight from the arrays on the target device: no temporaries to dispose.
        Tensor capsTensor = tensor(caps, shape, ScalarType.Int64, device);
        try
        {
            return (capsTensor, tensor(cmasks, shape, ScalarType.Bool, device));
        }
        catch
        {
            capsTensor.Dispose();
            throw;
        }
    }
}
