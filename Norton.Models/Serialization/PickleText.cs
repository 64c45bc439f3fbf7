using System.Globalization;
using System.Numerics;
using System.Text;

namespace Norton.Models.Serialization;

/// <summary>Decoding of the text arguments of protocol 0 opcodes (INT, LONG, FLOAT, STRING, UNICODE).</summary>
internal static class PickleText
{
    /// <summary>INT: a decimal integer, or <c>00</c>/<c>01</c> for False/True.</summary>
    public static object Int(byte[] line, PickleInput input)
    {
        string text = Encoding.ASCII.GetString(line).Trim();
        if (text == "00") return false;
        if (text == "01") return true;
        return Integer(text, input);
    }

    /// <summary>LONG: a decimal integer with an optional trailing <c>L</c>.</summary>
    public static object Long(byte[] line, PickleInput input)
    {
        string text = Encoding.ASCII.GetString(line).Trim();
        return Integer(text.EndsWith('L') ? text[..^1] : text, input);
    }

    public static double Float(byte[] line, PickleInput input)
    {
        string text = Encoding.ASCII.GetString(line).Trim();
        return text.ToLowerInvariant() switch
        {
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            "nan" or "-nan" => double.NaN,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
                ? d
                : throw input.Error($"FLOAT expects a decimal number, found '{Shorten(text)}'"),
        };
    }

    /// <summary>STRING: a quoted Python 2 byte-string literal with backslash escapes, decoded as latin-1.</summary>
    public static string QuotedString(byte[] line, PickleInput input)
    {
        int n = line.Length;
        while (n > 0 && line[n - 1] is (byte)'\r' or (byte)' ') n--;
        if (n < 2 || line[0] != line[n - 1] || line[0] is not ((byte)'\'' or (byte)'"'))
            throw input.Error("STRING expects a quoted string literal");
        var bytes = new List<byte>(n);
        for (int i = 1; i < n - 1; i++)
        {
            byte b = line[i];
            if (b != (byte)'\\') { bytes.Add(b); continue; }
            if (++i >= n - 1) throw input.Error("STRING ends with a lone backslash");
            byte e = line[i];
            switch ((char)e)
            {
                case '\\': case '\'': case '"': bytes.Add(e); break;
                case 'n': bytes.Add((byte)'\n'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'a': bytes.Add(7); break;
                case 'b': bytes.Add(8); break;
                case 'f': bytes.Add(12); break;
                case 'v': bytes.Add(11); break;
                case 'x':
                    if (i + 2 > n - 2 || !byte.TryParse(Encoding.ASCII.GetString(line, i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte hex))
                        throw input.Error("STRING has a malformed \\x escape");
                    bytes.Add(hex);
                    i += 2;
                    break;
                case >= '0' and <= '7':
                    int value = 0, digits = 0;
                    while (digits < 3 && i < n - 1 && line[i] is >= (byte)'0' and <= (byte)'7')
                    {
                        value = value * 8 + (line[i] - '0');
                        i++;
                        digits++;
                    }
                    i--;
                    bytes.Add((byte)value);
                    break;
                default: bytes.Add((byte)'\\'); bytes.Add(e); break;
            }
        }
        return Encoding.Latin1.GetString(bytes.ToArray());
    }

    /// <summary>UNICODE: raw-unicode-escape, i.e. latin-1 with <c>\uXXXX</c> and <c>\UXXXXXXXX</c> escapes.</summary>
    public static string RawUnicodeEscape(byte[] line, PickleInput input)
    {
        var sb = new StringBuilder(line.Length);
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == (byte)'\\' && i + 1 < line.Length && line[i + 1] is (byte)'u' or (byte)'U')
            {
                int digits = line[i + 1] == (byte)'u' ? 4 : 8;
                if (i + 2 + digits > line.Length
                    || !int.TryParse(Encoding.ASCII.GetString(line, i + 2, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code)
                    || code is < 0 or > 0x10FFFF)
                    throw input.Error("UNICODE has a malformed \\u escape");
                sb.Append(code is >= 0xD800 and <= 0xDFFF ? "\uFFFD" : char.ConvertFromUtf32(code));
                i += 1 + digits;
            }
            else sb.Append((char)line[i]);
        }
        return sb.ToString();
    }

    /// <summary>long where it fits, else <see cref="BigInteger"/>.</summary>
    public static object Normalise(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;

    private static object Integer(string text, PickleInput input)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return l;
        if (text.Length <= 10_000 && BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big)) return Normalise(big);
        throw input.Error($"expected a decimal integer, found '{Shorten(text)}'");
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
