using System.Text;

namespace FlexCoop.Saref.Rdf.Internal;

/// <summary>Character classes of the Turtle grammar (W3C Turtle, section 6.5), on code points.</summary>
internal static class TurtleNames
{
    public static bool IsPnCharsBase(int c) =>
        c is >= 'A' and <= 'Z' or >= 'a' and <= 'z'
        or >= 0x00C0 and <= 0x00D6 or >= 0x00D8 and <= 0x00F6 or >= 0x00F8 and <= 0x02FF
        or >= 0x0370 and <= 0x037D or >= 0x037F and <= 0x1FFF or >= 0x200C and <= 0x200D
        or >= 0x2070 and <= 0x218F or >= 0x2C00 and <= 0x2FEF or >= 0x3001 and <= 0xD7FF
        or >= 0xF900 and <= 0xFDCF or >= 0xFDF0 and <= 0xFFFD or >= 0x10000 and <= 0xEFFFF;

    public static bool IsPnCharsU(int c) => IsPnCharsBase(c) || c == '_';

    public static bool IsPnChars(int c) =>
        IsPnCharsU(c) || c == '-' || c is >= '0' and <= '9' || c == 0x00B7
        || c is >= 0x0300 and <= 0x036F or >= 0x203F and <= 0x2040;

    /// <summary>A valid PN_PREFIX, or empty (the default prefix).</summary>
    public static bool IsPrefix(string prefix)
    {
        if (prefix.Length == 0) return true;
        var cps = CodePoints(prefix);
        if (!IsPnCharsBase(cps[0])) return false;
        for (var i = 1; i < cps.Count; i++)
        {
            if (!IsPnChars(cps[i]) && cps[i] != '.') return false;
        }
        return cps[^1] != '.';
    }

    /// <summary>
    /// A local name the writers emit without escapes: ASCII letters, digits, '_' and '-', and '.'
    /// not last, starting with a letter or '_'. (Valid PN_LOCAL and a safe JSON-LD compact IRI suffix.)
    /// Empty is allowed (the IRI is the namespace itself).
    /// </summary>
    public static bool IsSimpleLocalName(string local)
    {
        if (local.Length == 0) return true;
        if (!char.IsAsciiLetter(local[0]) && local[0] != '_') return false;
        foreach (var c in local)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-' and not '.') return false;
        }
        return local[^1] != '.';
    }

    /// <summary>Characters that may follow '\' in a PN_LOCAL (PN_LOCAL_ESC).</summary>
    public static bool IsLocalEscapable(int c) => c is '_' or '~' or '.' or '-' or '!' or '$' or '&' or '\''
        or '(' or ')' or '*' or '+' or ',' or ';' or '=' or '/' or '?' or '#' or '@' or '%';

    private static List<int> CodePoints(string s)
    {
        var list = new List<int>(s.Length);
        foreach (var r in s.EnumerateRunes()) list.Add(r.Value);
        return list;
    }

    /// <summary>Appends a code point as UTF-16.</summary>
    public static void AppendCodePoint(StringBuilder sb, int cp)
    {
        if (cp < 0x10000) sb.Append((char)cp);
        else sb.Append(char.ConvertFromUtf32(cp));
    }
}
