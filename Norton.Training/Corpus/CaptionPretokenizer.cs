using System.Text;
using Norton.Models.Text;

namespace Norton.Training.Corpus;

/// <summary>
/// The original's caption pretokenization (docs/training-data.md): each text cut to its first 96 characters, tokenised
/// with bert-base-uncased without special tokens, the ids cut to 32.
/// </summary>
public sealed class CaptionPretokenizer
{
    /// <summary>Characters kept per caption before tokenising.</summary>
    public const int MaxCharacters = 96;

    /// <summary>Ids kept per caption (the width of the <c>.caps_ids</c> rows).</summary>
    public const int MaxTokens = 32;

    /// <summary>Pretokenises with <paramref name="tokenizer"/> (bert-base-uncased when null).</summary>
    public CaptionPretokenizer(BertWordPieceTokenizer? tokenizer = null) => Tokenizer = tokenizer ?? BertWordPieceTokenizer.BertBaseUncased;

    /// <summary>The word-piece tokenizer.</summary>
    public BertWordPieceTokenizer Tokenizer { get; }

    /// <summary>The stored ids of <paramref name="text"/>: at most <see cref="MaxTokens"/>, no special tokens.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Tokenizer.EncodeToIds(Cut(text)).Take(MaxTokens).ToArray();
    }

    /// <summary>The first 96 characters as Python counts them (code points, so a surrogate pair is one).</summary>
    internal static string Cut(string text)
    {
        if (text.Length <= MaxCharacters) return text;
        var builder = new StringBuilder(MaxCharacters + 8);
        int count = 0;
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (count++ == MaxCharacters) break;
            builder.Append(rune.ToString());
        }
        return builder.ToString();
    }
}
