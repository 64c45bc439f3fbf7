using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Norton.Models.Text;

/// <summary>
/// The text normalisation of Hugging Face's bert-base-uncased tokenizer (<c>BertNormalizer</c> with
/// <c>clean_text</c>, <c>handle_chinese_chars</c>, accent stripping and lower-casing), written out because the
/// normaliser that Microsoft.ML.Tokenizers 2.0.1 builds from <see cref="BertOptions"/> differs from it:
/// it deletes tab, CR and LF instead of turning them into spaces (so "hello\nworld" becomes one word), keeps
/// format and private-use characters (soft hyphen, zero-width space), leaves title-case letters as they are and
/// recomposes (NFC) at the end (Hangul syllables then stay [UNK] instead of being split into jamo).
/// </summary>
/// <remarks>
/// Steps, in the order of HF's fast tokenizer (the one the original pre-processing used):
/// 1. clean: drop U+0000, U+FFFD and every character of a C* category except tab, LF and CR (lone surrogates
///    included); turn tab, LF, CR and Zs/Zl/Zp separators into a space;
/// 2. put spaces around CJK ideographs (the ranges of BERT's <c>_is_chinese_char</c>);
/// 3. strip accents: NFD, then drop non-spacing marks (Mn only); the text stays decomposed;
/// 4. lower-case (invariant culture).
/// </remarks>
internal sealed class BertUncasedNormalizer : Normalizer
{
    /// <summary>The one instance; the normaliser holds no state.</summary>
    public static BertUncasedNormalizer Instance { get; } = new();

    /// <summary>
    /// Fails when .NET cannot decompose Unicode text, which is the case in globalization-invariant mode
    /// (<c>InvariantGlobalization</c>, <c>DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1</c>, or no ICU library on Linux):
    /// there <see cref="string.Normalize(NormalizationForm)"/> leaves "é" as it is, and every accented word would
    /// silently become a different token sequence.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">Unicode decomposition is not available.</exception>
    public static void EnsureUnicodeDecompositionAvailable()
    {
        string decomposed;
        try
        {
            decomposed = "\u00E9".Normalize(NormalizationForm.FormD);
        }
        catch (PlatformNotSupportedException)
        {
            decomposed = "\u00E9";
        }
        if (decomposed != "e\u0301")
            throw new PlatformNotSupportedException(
                "The BERT tokenizer needs Unicode NFD decomposition to strip accents like Hugging Face does, but this process " +
                "cannot decompose text (globalization-invariant mode or no ICU library). Install ICU (e.g. libicu) and do not set " +
                "InvariantGlobalization / DOTNET_SYSTEM_GLOBALIZATION_INVARIANT.");
    }

    /// <inheritdoc />
    public override string Normalize(string original)
    {
        ArgumentNullException.ThrowIfNull(original);
        return Normalize(original.AsSpan());
    }

    /// <inheritdoc />
    public override string Normalize(ReadOnlySpan<char> original)
    {
        if (original.IsEmpty) return string.Empty;

        var cleaned = new StringBuilder(original.Length + 8);
        int i = 0;
        while (i < original.Length)
        {
            if (Rune.DecodeFromUtf16(original[i..], out Rune rune, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                // A lone surrogate is category Cs: HF's clean_text drops it like any other C* character.
                i += Math.Max(consumed, 1);
                continue;
            }
            i += consumed;
            int cp = rune.Value;
            if (cp == 0 || cp == 0xFFFD) continue;
            if (cp is '\t' or '\n' or '\r') { cleaned.Append(' '); continue; }
            UnicodeCategory category = Rune.GetUnicodeCategory(rune);
            if (IsOther(category)) continue;
            if (category is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                cleaned.Append(' ');
                continue;
            }
            if (IsCjkIdeograph(cp))
            {
                cleaned.Append(' ').Append(rune.ToString()).Append(' ');
                continue;
            }
            cleaned.Append(rune.ToString());
        }

        string decomposed = cleaned.ToString().Normalize(NormalizationForm.FormD);
        var stripped = new StringBuilder(decomposed.Length);
        foreach (Rune rune in decomposed.EnumerateRunes())
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
                stripped.Append(rune.ToString());
        return stripped.ToString().ToLowerInvariant();
    }

    /// <summary>The ideograph blocks that BERT tokenises one character at a time (not kana, not hangul).</summary>
    internal static bool IsCjkIdeograph(int cp) =>
        (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF) ||
        (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);

    private static bool IsOther(UnicodeCategory category) => category is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
}
