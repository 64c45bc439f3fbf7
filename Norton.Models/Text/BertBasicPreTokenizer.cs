using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Norton.Models.Text;

/// <summary>
/// The word split of BERT's basic tokenizer (HF <c>BertPreTokenizer</c>): runs of characters between white space,
/// with every punctuation character cut out as a word of its own. Punctuation is what BERT calls punctuation:
/// ASCII 33–47, 58–64, 91–96, 123–126 (so <c>$ + &lt; = &gt; ^ ` | ~</c> count, although Unicode files them as
/// symbols) and every Unicode P* category. Other symbols (€ ° ² ©) are not punctuation and stay inside their word,
/// as in HF ("5€" gives "5", "##€").
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' default BERT pre-tokenizer (<c>\w+|[\p{P}]</c>) silently drops every character that
/// is neither a word character nor Unicode punctuation, which loses those symbols.
/// Offsets and lengths are in UTF-16 code units of the (normalised) text.
/// </remarks>
internal sealed class BertBasicPreTokenizer : PreTokenizer
{
    /// <summary>The one instance; the pre-tokenizer holds no state.</summary>
    public static BertBasicPreTokenizer Instance { get; } = new();

    /// <inheritdoc />
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Split(text);
    }

    /// <inheritdoc />
    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text.ToString());

    /// <summary>True for what BERT's <c>_is_punctuation</c> accepts.</summary>
    internal static bool IsPunctuation(Rune rune)
    {
        int cp = rune.Value;
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126))
            return true;
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation;
    }

    private static List<(int Offset, int Length)> Split(string text)
    {
        var words = new List<(int Offset, int Length)>();
        int start = -1;
        int i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out Rune rune, out int consumed);
            consumed = Math.Max(consumed, 1);
            if (Rune.IsWhiteSpace(rune) || IsPunctuation(rune))
            {
                if (start >= 0) words.Add((start, i - start));
                start = -1;
                if (!Rune.IsWhiteSpace(rune)) words.Add((i, consumed));
            }
            else if (start < 0)
            {
                start = i;
            }
            i += consumed;
        }
        if (start >= 0) words.Add((start, text.Length - start));
        return words;
    }
}
