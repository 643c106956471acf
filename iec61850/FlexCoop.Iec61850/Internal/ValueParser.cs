using System.Globalization;
using System.Text;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Internal;

/// <summary>Parses an SCL <c>Val</c> as a value of a basic type, into the CLR type <see cref="BasicType"/> documents.</summary>
internal static class ValueParser
{
    private static readonly string[] DbposNames = ["intermediate-state", "off", "on", "bad-state"];
    private static readonly string[] TcmdNames = ["stop", "lower", "higher", "reserved"];

    /// <summary>True with the value, or false with a sentence saying why not.</summary>
    public static bool TryParse(BasicType type, string text, SclEnumType? enumType, out object? value, out string error)
    {
        value = null;
        error = "";
        var t = text.Trim();
        switch (type)
        {
            case BasicType.BOOLEAN:
                switch (t)
                {
                    case "true" or "1": value = true; return true;
                    case "false" or "0": value = false; return true;
                    default: error = $"'{text}' is not a BOOLEAN (true, false, 1 or 0)"; return false;
                }
            case BasicType.INT8: return Signed(t, -128, 127, type, out value, out error);
            case BasicType.INT16: return Signed(t, short.MinValue, short.MaxValue, type, out value, out error);
            case BasicType.INT24: return Signed(t, -8_388_608, 8_388_607, type, out value, out error);
            case BasicType.INT32: return Signed(t, int.MinValue, int.MaxValue, type, out value, out error);
            case BasicType.INT64: return Signed(t, long.MinValue, long.MaxValue, type, out value, out error);
            case BasicType.INT128:
                if (Int128.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big)) { value = big; return true; }
                error = $"'{text}' is not an INT128";
                return false;
            case BasicType.INT8U: return Unsigned(t, byte.MaxValue, type, out value, out error);
            case BasicType.INT16U: return Unsigned(t, ushort.MaxValue, type, out value, out error);
            case BasicType.INT24U: return Unsigned(t, 16_777_215, type, out value, out error);
            case BasicType.INT32U: return Unsigned(t, uint.MaxValue, type, out value, out error);
            case BasicType.FLOAT32:
                if (float.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && float.IsFinite(f)) { value = f; return true; }
                error = $"'{text}' is not a FLOAT32";
                return false;
            case BasicType.FLOAT64:
                if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) { value = d; return true; }
                error = $"'{text}' is not a FLOAT64";
                return false;
            case BasicType.Enum:
                if (enumType is null) { error = "the enumeration is unknown"; return false; }
                if (enumType.OrdOf(t) is { } ord) { value = ord; return true; }
                error = $"'{text}' is not a literal of EnumType '{enumType.Id}'";
                return false;
            case BasicType.Dbpos: return Named(t, DbposNames, type, out value, out error);
            case BasicType.Tcmd: return Named(t, TcmdNames, type, out value, out error);
            case BasicType.VisString32 or BasicType.VisString64 or BasicType.VisString65 or BasicType.VisString129
                or BasicType.VisString255 or BasicType.ObjRef or BasicType.Currency:
            {
                var max = type.MaxLength();
                // Strings are taken as written (not trimmed): leading blanks may matter.
                if (text.Length > max) { error = $"'{Shorten(text)}' is longer than the {max} characters of {type}"; return false; }
                foreach (var c in text)
                {
                    if (c is < ' ' or > '~') { error = $"'{Shorten(text)}' has a character that is not visible ASCII, as {type} requires"; return false; }
                }
                value = text;
                return true;
            }
            case BasicType.Unicode255:
                if (text.Length > 255) { error = $"'{Shorten(text)}' is longer than the 255 characters of Unicode255"; return false; }
                value = text;
                return true;
            case BasicType.Octet64:
                if (Encoding.UTF8.GetByteCount(text) > 64) { error = $"'{Shorten(text)}' is longer than the 64 octets of Octet64"; return false; }
                value = text;
                return true;
            case BasicType.Struct:
                error = "a structure has no value of its own; give values to its components";
                return false;
            default:
                // Quality, Timestamp, EntryTime, Check, option fields, octet strings: kept as written.
                value = text;
                return true;
        }
    }

    private static bool Signed(string t, long min, long max, BasicType type, out object? value, out string error)
    {
        value = null;
        error = "";
        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max)
        {
            value = v;
            return true;
        }
        error = $"'{Shorten(t)}' is not an {type} ({min}..{max})";
        return false;
    }

    private static bool Unsigned(string t, ulong max, BasicType type, out object? value, out string error)
    {
        value = null;
        error = "";
        if (ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v <= max)
        {
            value = v;
            return true;
        }
        error = $"'{Shorten(t)}' is not an {type} (0..{max})";
        return false;
    }

    private static bool Named(string t, string[] names, BasicType type, out object? value, out string error)
    {
        value = null;
        error = "";
        var i = Array.IndexOf(names, t);
        if (i >= 0)
        {
            value = i;
            return true;
        }
        error = $"'{Shorten(t)}' is not a {type} ({string.Join(", ", names)})";
        return false;
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
