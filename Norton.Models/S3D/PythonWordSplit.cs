using System.Globalization;
using System.Text;

namespace Norton.Models.S3D;

/// <summary>
/// The two pieces of Python text handling that S3D's tokeniser relies on, written out so that .NET's culture and
/// regex semantics do not leak in: <c>str.lower()</c> and <c>re.findall(r"[\w']+", s)</c> on a <c>str</c>.
/// </summary>
/// <remarks>
/// Python's <c>\w</c> on str is "alphanumeric or underscore": letters (Lu, Ll, Lt, Lm, Lo), numbers (Nd, Nl, No) and
/// <c>_</c> only. .NET's <c>\w</c> also matches combining marks and all connector punctuation, so a .NET regex would
/// keep <c>é</c> written as <c>e</c> + U+0301 together where Python splits it. <c>str.lower()</c> is Unicode's full
/// lowercase mapping: per-code-point simple mapping, except U+0130 (İ → i + U+0307) and a capital sigma in final
/// position (Σ → ς). The "cased" and "case-ignorable" properties of the final-sigma rule are approximated by general
/// categories plus the apostrophe-like word-break characters.
/// </remarks>
internal static class PythonWordSplit
{
    private const int CapitalSigma = 0x03A3;

    /// <summary>Python's <c>s.lower()</c>.</summary>
    public static string Lower(string s)
    {
        var runes = s.EnumerateRunes().ToArray();
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < runes.Length; i++)
        {
            var r = runes[i];
            if (r.Value == 0x0130)
                sb.Append("i\u0307");
            else if (r.Value == CapitalSigma)
                sb.Append(IsFinalSigma(runes, i) ? '\u03C2' : '\u03C3');
            else
                sb.Append(Rune.ToLowerInvariant(r).ToString());
        }
        return sb.ToString();
    }

    /// <summary>Python's <c>re.findall(r"[\w']+", s)</c>.</summary>
    public static List<string> FindWords(string s)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var r in s.EnumerateRunes())
        {
            if (IsWordCharacter(r) || r.Value == '\'')
            {
                current.Append(r.ToString());
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
            words.Add(current.ToString());
        return words;
    }

    /// <summary>Python's <c>\w</c> for a str pattern: <c>str.isalnum()</c> or <c>_</c>.</summary>
    public static bool IsWordCharacter(Rune r)
    {
        if (r.Value == '_') return true;
        return Rune.GetUnicodeCategory(r) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            _ => false,
        };
    }

    // Unicode's Final_Sigma: a cased letter, then case-ignorables, then Σ, and no cased letter after the
    // case-ignorables that follow it.
    private static bool IsFinalSigma(Rune[] runes, int index)
    {
        int j = index - 1;
        while (j >= 0 && IsCaseIgnorable(runes[j])) j--;
        if (j < 0 || !IsCased(runes[j])) return false;
        j = index + 1;
        while (j < runes.Length && IsCaseIgnorable(runes[j])) j++;
        return j == runes.Length || !IsCased(runes[j]);
    }

    private static bool IsCased(Rune r) => Rune.GetUnicodeCategory(r)
        is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    private static bool IsCaseIgnorable(Rune r)
    {
        switch (r.Value)
        {
            // Word_Break = MidLetter, MidNumLet or Single_Quote.
            case 0x0027: case 0x002E: case 0x003A: case 0x00B7: case 0x0387: case 0x055F: case 0x05F4:
            case 0x2018: case 0x2019: case 0x2024: case 0x2027: case 0xFE13: case 0xFE52: case 0xFE55:
            case 0xFF07: case 0xFF0E: case 0xFF1A:
                return true;
        }
        return Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;
    }
}
