using System.Globalization;
using System.Text;

namespace FlexCoop.Saref.Rdf.Internal;

internal static class IriText
{
    /// <summary>RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) followed by ':'.</summary>
    public static bool HasScheme(string value) => SchemeLength(value) > 0;

    /// <summary>Length of the scheme (without ':'), or 0 when there is none.</summary>
    public static int SchemeLength(string value)
    {
        if (value.Length == 0 || !char.IsAsciiLetter(value[0])) return 0;
        for (var i = 1; i < value.Length; i++)
        {
            var c = value[i];
            if (c == ':') return i;
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '-' && c != '.') return 0;
        }
        return 0;
    }

    /// <summary>Characters that may not appear raw in an IRIREF: controls, space, &lt;&gt;"{}|^`\.</summary>
    public static bool IsForbiddenInIriRef(char c) =>
        c <= ' ' || c is '<' or '>' or '"' or '{' or '}' or '|' or '^' or '`' or '\\';
}

internal static class UnicodeText
{
    public static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }
}

internal static class LanguageTag
{
    /// <summary>Turtle/N-Triples LANGTAG: [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*.</summary>
    public static bool IsValid(string tag)
    {
        if (tag.Length == 0) return false;
        var i = 0;
        while (i < tag.Length && char.IsAsciiLetter(tag[i])) i++;
        if (i == 0) return false;
        while (i < tag.Length)
        {
            if (tag[i] != '-') return false;
            i++;
            var start = i;
            while (i < tag.Length && char.IsAsciiLetterOrDigit(tag[i])) i++;
            if (i == start) return false;
        }
        return true;
    }
}

/// <summary>Canonical lexical forms of XML Schema 1.1 values.</summary>
internal static class XsdCanonical
{
    public static string Decimal(decimal value)
    {
        var s = value.ToString(CultureInfo.InvariantCulture);
        if (s.Contains('.', StringComparison.Ordinal))
        {
            s = s.TrimEnd('0');
            if (s.EndsWith('.')) s += "0";
        }
        else
        {
            s += ".0";
        }
        return s == "-0.0" ? "0.0" : s;
    }

    public static string Double(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "INF";
        if (double.IsNegativeInfinity(value)) return "-INF";
        if (value == 0) return double.IsNegative(value) ? "-0.0E0" : "0.0E0";
        var sign = value < 0 ? "-" : "";
        var r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exp = 0;
        var ePos = r.IndexOfAny(['E', 'e']);
        var mantissa = r;
        if (ePos >= 0)
        {
            exp = int.Parse(r.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = r[..ePos];
        }
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        var integerLength = dot < 0 ? mantissa.Length : dot;
        var lead = 0;
        while (lead < digits.Length && digits[lead] == '0') lead++;
        digits = digits[lead..].TrimEnd('0');
        var pointExponent = integerLength + exp - lead - 1;
        var m = digits[0] + "." + (digits.Length > 1 ? digits[1..] : "0");
        return sign + m + "E" + pointExponent.ToString(CultureInfo.InvariantCulture);
    }

    public static string DateTime(DateTimeOffset value)
    {
        var s = value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');
        return s + (value.Offset == TimeSpan.Zero ? "Z" : value.ToString("zzz", CultureInfo.InvariantCulture));
    }

    public static string Duration(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "PT0S";
        var sb = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            sb.Append('-');
            value = value.Duration();
        }
        sb.Append('P');
        if (value.Days > 0) sb.Append(value.Days.ToString(CultureInfo.InvariantCulture)).Append('D');
        var time = value - TimeSpan.FromDays(value.Days);
        if (time > TimeSpan.Zero)
        {
            sb.Append('T');
            if (time.Hours > 0) sb.Append(time.Hours.ToString(CultureInfo.InvariantCulture)).Append('H');
            if (time.Minutes > 0) sb.Append(time.Minutes.ToString(CultureInfo.InvariantCulture)).Append('M');
            var seconds = time - new TimeSpan(time.Hours, time.Minutes, 0);
            if (seconds > TimeSpan.Zero)
            {
                var whole = (long)seconds.TotalSeconds;
                var fraction = seconds.Ticks % TimeSpan.TicksPerSecond;
                sb.Append(whole.ToString(CultureInfo.InvariantCulture));
                if (fraction > 0) sb.Append('.').Append(fraction.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0'));
                sb.Append('S');
            }
        }
        return sb.ToString();
    }

    /// <summary>True when <paramref name="lexical"/> is the canonical form of an xsd:integer (Turtle INTEGER shorthand allowed).</summary>
    public static bool IsCanonicalInteger(string lexical)
    {
        var i = lexical.StartsWith('-') ? 1 : 0;
        if (i >= lexical.Length) return false;
        if (lexical[i] == '0') return lexical.Length == i + 1 && i == 0;
        for (; i < lexical.Length; i++) if (!char.IsAsciiDigit(lexical[i])) return false;
        return true;
    }

    /// <summary>Canonical xsd:decimal: -?(0|[1-9][0-9]*)\.([0-9]*[1-9]|0).</summary>
    public static bool IsCanonicalDecimal(string lexical)
    {
        var i = lexical.StartsWith('-') ? 1 : 0;
        var dot = lexical.IndexOf('.', StringComparison.Ordinal);
        if (dot <= i || dot == lexical.Length - 1) return false;
        var integer = lexical.AsSpan(i, dot - i);
        var fraction = lexical.AsSpan(dot + 1);
        if (!AllDigits(integer) || !AllDigits(fraction)) return false;
        if (integer.Length > 1 && integer[0] == '0') return false;
        if (fraction.Length > 1 && fraction[^1] == '0') return false;
        if (i == 1 && integer is "0" && fraction is "0") return false;
        return true;
    }

    /// <summary>Canonical xsd:double (finite): -?[1-9]\.([0-9]*[1-9]|0)E-?(0|[1-9][0-9]*), or 0.0E0.</summary>
    public static bool IsCanonicalDouble(string lexical)
    {
        if (lexical == "0.0E0") return true;
        var i = lexical.StartsWith('-') ? 1 : 0;
        var e = lexical.IndexOf('E', StringComparison.Ordinal);
        if (e < 0 || lexical.Length < i + 3 || lexical[i + 1] != '.') return false;
        if (lexical[i] is < '1' or > '9') return false;
        var fraction = lexical.AsSpan(i + 2, e - i - 2);
        if (fraction.Length == 0 || !AllDigits(fraction) || (fraction.Length > 1 && fraction[^1] == '0')) return false;
        var exponent = lexical.AsSpan(e + 1);
        if (exponent.StartsWith("-")) exponent = exponent[1..];
        if (exponent.Length == 0 || !AllDigits(exponent)) return false;
        return !(exponent.Length > 1 && exponent[0] == '0') && !(exponent is "0" && lexical[e + 1] == '-');
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        if (s.Length == 0) return false;
        foreach (var c in s) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }
}
