using System.Globalization;

namespace Norton.Models.Data;

/// <summary>
/// A parser for the tiny subset of Python literals a .npy header uses: a dict with string keys whose values are
/// strings, True/False/None, integers or tuples of integers. Nothing is evaluated.
/// </summary>
internal sealed class PythonLiteral
{
    private readonly string _text;
    private int _pos;

    private PythonLiteral(string text) => _text = text;

    /// <summary>Parses <c>{'key': value, ...}</c>; trailing whitespace is allowed.</summary>
    /// <exception cref="FormatException">Anything outside the subset.</exception>
    public static Dictionary<string, object?> ParseDictionary(string text)
    {
        var p = new PythonLiteral(text);
        var result = p.Dictionary();
        p.SkipSpace();
        if (p._pos != text.Length)
            throw new FormatException($"unexpected '{text[p._pos]}' at {p._pos} after the dict");
        return result;
    }

    private Dictionary<string, object?> Dictionary()
    {
        Expect('{');
        var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            SkipSpace();
            if (TryTake('}')) return dict;
            string key = String();
            SkipSpace();
            Expect(':');
            dict[key] = Value();
            SkipSpace();
            if (TryTake('}')) return dict;
            Expect(',');
        }
    }

    private object? Value()
    {
        SkipSpace();
        if (_pos >= _text.Length) throw new FormatException("value expected at the end");
        char c = _text[_pos];
        if (c is '\'' or '"') return String();
        if (c == '(') return Tuple();
        if (c == '[') throw new FormatException("Structured dtypes (a list descr) are not supported");
        if (c == '-' || char.IsAsciiDigit(c)) return Integer();
        foreach (var (word, value) in new (string, object?)[] { ("True", true), ("False", false), ("None", null) })
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) == 0)
            {
                _pos += word.Length;
                return value;
            }
        throw new FormatException($"unsupported value starting with '{c}' at {_pos}");
    }

    private IReadOnlyList<long> Tuple()
    {
        Expect('(');
        var items = new List<long>();
        while (true)
        {
            SkipSpace();
            if (TryTake(')')) return items;
            items.Add(Integer());
            SkipSpace();
            if (TryTake(')')) return items;
            Expect(',');
        }
    }

    private long Integer()
    {
        SkipSpace();
        int start = _pos;
        if (_pos < _text.Length && _text[_pos] == '-') _pos++;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
        // numpy < 1.x on some platforms wrote long literals such as 3L.
        string digits = _text[start.._pos];
        if (_pos < _text.Length && _text[_pos] == 'L') _pos++;
        if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw new FormatException($"integer expected at {start}");
        return value;
    }

    private string String()
    {
        SkipSpace();
        if (_pos >= _text.Length || _text[_pos] is not ('\'' or '"'))
            throw new FormatException($"string expected at {_pos}");
        char quote = _text[_pos++];
        int end = _text.IndexOf(quote, _pos);
        if (end < 0) throw new FormatException($"unterminated string at {_pos - 1}");
        string s = _text[_pos..end];
        if (s.Contains('\\')) throw new FormatException($"escaped strings are not supported at {_pos}");
        _pos = end + 1;
        return s;
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private bool TryTake(char c)
    {
        if (_pos < _text.Length && _text[_pos] == c)
        {
            _pos++;
            return true;
        }
        return false;
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (!TryTake(c))
            throw new FormatException(_pos < _text.Length ? $"'{c}' expected at {_pos}, found '{_text[_pos]}'" : $"'{c}' expected at the end");
    }
}
